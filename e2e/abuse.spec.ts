import { expect, test } from "@playwright/test";
import { signInAndLand } from "./helpers";

/**
 * Requests no page sends, answered as refusals (4xx) by the built app rather than as faults: a
 * server action posted from another site, and paths that are not valid percent-encoding (which
 * Next.js's router cannot decode).
 */

// Any id: the origin is checked before the action is looked up.
const ACTION_ID = "7f3a9c0d1e2b4a5968778695a4b3c2d1e0f9a8b7c6";

test("a server action posted from another site is refused with 403", async ({ request }) => {
  for (const path of ["/", "/signin", "/compute/tasks/new"]) {
    const res = await request.post(path, {
      headers: { Origin: "https://evil.example", "Next-Action": ACTION_ID, "Content-Type": "text/plain;charset=UTF-8" },
      data: "[]",
      maxRedirects: 0,
    });
    expect(res.status(), path).toBe(403);
  }
});

test("a server action posted from the site itself is not refused by the origin check", async ({ request, baseURL }) => {
  const res = await request.post("/signin", {
    headers: { Origin: new URL(baseURL!).origin, "Next-Action": ACTION_ID, "Content-Type": "text/plain;charset=UTF-8" },
    data: "[]",
    maxRedirects: 0,
  });
  expect(res.status()).not.toBe(403);
});

test("a path that is not valid percent-encoding is answered 400, not 500", async ({ request }) => {
  const api = await request.get("/api/v1/tasks/%E0%A4%A");
  expect(api.status()).toBe(400);
  expect(await api.json()).toMatchObject({ field: "path" });
  const page = await request.get("/compute/tasks/%E0%A4%A", { maxRedirects: 0 });
  expect(page.status()).toBe(400);
});

test("a portal list whose filter holds a NUL shows the list unfiltered, not an error", async ({ page }) => {
  await signInAndLand(page, "customer@hearth.test", "/compute");
  const tasks = await page.goto("/compute/tasks?q=a%00&tag=%01");
  expect(tasks?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Tasks" })).toBeVisible();
});

test("the staff's gateway search holding a NUL shows every gateway, not an error", async ({ page }) => {
  await signInAndLand(page, "staff@hearth.test", "/admin");
  const gateways = await page.goto("/admin/gateways?q=%00");
  expect(gateways?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Gateways" })).toBeVisible();
});

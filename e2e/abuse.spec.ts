import { expect, test } from "@playwright/test";
import postgres from "postgres";
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

test("an HTML output downloaded from the portal comes as bytes to save, never as a page of the site", async ({ page }) => {
  // An ended task of Carmin's with one output a gateway declared as HTML, written as the engine
  // would have (in 2020, so that no metering of today touches it).
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  const at = new Date("2020-01-01T00:00:00Z");
  let taskId: string | undefined;
  try {
    const [org] = await sql<{ id: string }[]>`select id from organizations where name = 'Carmin Risk Analytics'`;
    const [profile] = await sql<{ id: string }[]>`select id from profiles where name = 'docker-batch'`;
    const [radiator] = await sql<{ id: string }[]>`select id from radiators order by serial limit 1`;
    const [task] = await sql<{ id: string }[]>`
      insert into tasks (organization_id, profile_id, name, instance_ranges, instance_count, cores_per_instance, created_at, ended_at)
      values (${org!.id}, ${profile!.id}, 'html output', '0', 1, 1, ${at}, ${at}) returning id`;
    taskId = task!.id;
    const [instance] = await sql<{ id: string }[]>`
      insert into instances (task_id, organization_id, instance_number, priority_class, cores_needed, min_cores, min_ram_gb,
        requires_container_runtime, state, attempt_count, max_attempts, queued_at, exit_code, ended_at)
      values (${taskId}, ${org!.id}, 0, 2, 1, 1, 1, false, 'succeeded', 1, 3, ${at}, 0, ${at}) returning id`;
    const [attempt] = await sql<{ id: string }[]>`
      insert into instance_attempts (instance_id, radiator_id, attempt_number, cores_assigned, state, dispatched_at, started_at, ended_at, exit_code, billable)
      values (${instance!.id}, ${radiator!.id}, 1, 1, 'succeeded', ${at}, ${at}, ${at}, 0, false) returning id`;
    const html = Buffer.from("<script>alert(document.cookie)</script>");
    const [output] = await sql<{ id: string }[]>`
      insert into instance_outputs (instance_id, attempt_id, name, content_type, content, size_bytes)
      values (${instance!.id}, ${attempt!.id}, 'page.html', 'text/html', ${html}, ${html.length}) returning id`;

    await signInAndLand(page, "customer2@hearth.test", "/compute");
    const res = await page.request.get(`/compute/tasks/${taskId}/outputs/${output!.id}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/octet-stream");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res.headers()["content-disposition"]).toBe('attachment; filename="page.html"');
    expect(await res.body()).toEqual(html);
  } finally {
    if (taskId) await sql`delete from tasks where id = ${taskId}`;
    await sql.end();
  }
});

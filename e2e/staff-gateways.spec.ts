import { expect, test } from "@playwright/test";
import { signInAndLand } from "./helpers";

test("staff register a gateway and a radiator, issue a credential shown once, and revoke it", async ({ page, request }) => {
  const serial = `QBOX-E2E-${Date.now().toString(36)}`;
  await signInAndLand(page, "staff@hearth.test", "/admin");
  await page.getByRole("link", { name: "Gateways" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Gateways" })).toBeVisible();

  await page.getByLabel("Building").selectOption({ label: "Résidence Balard — Bâtiment A" });
  await page.getByLabel("Dwelling (optional)").fill("A-910");
  await page.getByLabel("Serial").fill(serial);
  await page.getByRole("button", { name: "Register gateway" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Gateway ${serial}`);

  // A radiator in one of the flat's rooms.
  await page.getByLabel("Serial").fill(`${serial}-R1`);
  await page.getByRole("button", { name: "Register radiator" }).click();
  await expect(page.getByRole("table", { name: "Radiators of this gateway" })).toContainText(`${serial}-R1`);

  // The same serial again is refused with a clear message beside the field, which keeps what was typed.
  await page.getByLabel("Serial").fill(`${serial}-R1`);
  await page.getByRole("button", { name: "Register radiator" }).click();
  await expect(page.getByText(`A radiator with serial ${serial}-R1 already exists.`)).toBeVisible();
  await expect(page.getByLabel("Serial")).toHaveValue(`${serial}-R1`);

  await page.getByRole("button", { name: "Issue a new credential" }).click();
  const token = (await page.getByTestId("gateway-token").textContent())!.trim();
  expect(token).toMatch(/^hgw_[a-z2-7]{12}_[\w-]{43}$/);

  const report = { protocolVersion: 1, seq: 1, sentAt: new Date().toISOString(), radiators: [], events: [] };
  const accepted = await request.post("/api/device/v1/report", { data: report, headers: { Authorization: `Bearer ${token}` } });
  expect(accepted.status()).toBe(200);

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByRole("main")).not.toContainText(token);
  await page.getByRole("button", { name: /^Revoke/ }).click();
  await expect(page.getByRole("table", { name: "Credentials of this gateway" })).toContainText("revoked");

  const refused = await request.post("/api/device/v1/report", {
    data: { ...report, seq: 2 },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(refused.status()).toBe(401);
});

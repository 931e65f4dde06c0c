import { expect, test } from "@playwright/test";
import { expectAxeClean, signInAndLand, unique } from "./helpers";

test("staff see each customer's billing and the rate card, and refuse a rate that would start in the past", async ({ page }) => {
  await signInAndLand(page, "staff@hearth.test", "/admin");
  await page.goto("/admin/billing");
  await expect(page.getByRole("table", { name: "Customers' billing" }).getByText("Lumen Animation Studio")).toBeVisible();
  await expect(page.getByRole("table", { name: "Rate card versions" }).getByText("in force").first()).toBeVisible();
  await expectAxeClean(page);
  await page.getByLabel("Rate (cents per core-hour)").fill("30");
  await page.getByLabel("Effective from").fill("2020-01-01");
  await page.getByLabel("Label", { exact: true }).fill(`e2e ${unique()}`);
  await page.getByRole("button", { name: "Add rate version" }).click();
  await expect(page.getByText("A new rate takes effect later than now")).toBeVisible();
});

import { expect, test } from "@playwright/test";
import { signInAndLand } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });

test("a resident on a phone sees each room and a radiator's details", async ({ page }) => {
  await signInAndLand(page, "resident@hearth.test", "/home");
  await expect(page.getByRole("heading", { level: 2, name: "Séjour" })).toBeVisible();
  await page.getByRole("button", { name: /Details of radiator/ }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("500 W");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  // Nothing wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

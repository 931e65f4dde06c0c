import { expect, test } from "@playwright/test";
import { expectAxeClean, signInAndLand } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });

test("a resident on a phone sees each room and a radiator's details", async ({ page }) => {
  await signInAndLand(page, "resident@hearth.test", "/home");
  await expect(page.getByRole("heading", { level: 2, name: "Séjour" })).toBeVisible();
  await page.getByRole("button", { name: /Détails du radiateur/ }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("500 W");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  // Nothing wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAxeClean(page);
});

test("a resident's pages are in French until English is chosen, and the choice is remembered", async ({ page }) => {
  await signInAndLand(page, "resident@hearth.test", "/home");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Logement A-204");
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Flat A-204");
  await expect(page.getByRole("button", { name: /English/ })).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Flat A-204");
  await expect(page.locator("#main").locator("xpath=..")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: /Français/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Logement A-204");
});

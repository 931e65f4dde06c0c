import { expect, test, type Page } from "@playwright/test";
import { expectAxeClean, signInAndLand } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });

/** The demo's history starts when its simulator does: reload until the room's first readings are in. */
async function untilChartShows(page: Page) {
  await expect(async () => {
    await page.reload();
    await expect(page.locator("figure svg.recharts-surface").first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000, 5_000] });
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

test("a resident on a phone reads a room's heating history by day and by year, in French then English", async ({ page }) => {
  test.setTimeout(300_000);
  const year = Number(new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric" }).format(new Date()));
  await signInAndLand(page, "resident@hearth.test", "/home");
  await page.getByRole("link", { name: "Historique de Séjour" }).click();
  await expect(page).toHaveURL(/\/home\/rooms\/[0-9a-f-]{36}\/history\?range=day$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Séjour : historique");
  await expect(page.getByRole("link", { name: "Jour", exact: true })).toHaveAttribute("aria-current", "page");
  // Today's next day has not begun.
  await expect(page.getByRole("link", { name: "Période suivante : pas encore commencée" })).toHaveAttribute("aria-disabled", "true");

  await untilChartShows(page);
  await expect(page.getByRole("heading", { name: "Températures et chauffe" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Énergie par heure" })).toBeVisible();
  await page.getByText("Voir les chiffres en tableau").click();
  const table = page.getByRole("table", { name: /Chiffres de la période/ });
  await expect(table).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Pièce (°C)" })).toBeVisible();
  await expect(table.locator("tbody tr").first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectAxeClean(page);

  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Séjour: history");
  await page.getByRole("link", { name: "Year", exact: true }).click();
  await expect(page).toHaveURL(/range=year&anchor=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByRole("link", { name: "Year", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { level: 2, name: String(year), exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Next period: not started yet" })).toHaveAttribute("aria-disabled", "true");

  await page.getByRole("link", { name: "Previous period" }).click();
  await expect(page).toHaveURL(new RegExp(`range=year&anchor=${year - 1}-01-01$`));
  await expect(page.getByRole("heading", { level: 2, name: String(year - 1), exact: true })).toBeVisible();
  await expect(page.getByText("No readings for this period yet")).toBeVisible();
  await expectAxeClean(page);

  await page.getByRole("link", { name: "Next period", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`range=year&anchor=${year}-01-01$`));
  await expect(page.getByRole("heading", { level: 2, name: String(year), exact: true })).toBeVisible();
  // The days of this year are rolled up from its hours by the engine's next tick.
  await untilChartShows(page);
  await expect(page.getByRole("heading", { name: "Energy per month" })).toBeVisible();
  await page.getByText("Show the figures as a table").click();
  await expect(page.getByRole("table", { name: /Figures of the period/ })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectAxeClean(page);

  // The period is in the address: back returns to the year before.
  await page.goBack();
  await expect(page.getByRole("heading", { level: 2, name: String(year - 1), exact: true })).toBeVisible();

  // Back in French for the other specs' sake (the choice is remembered on this browser only).
  await page.getByRole("button", { name: /Français/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Séjour : historique");
});

test("a room that is not the resident's has no history to show", async ({ page }) => {
  await signInAndLand(page, "resident@hearth.test", "/home");
  const response = await page.goto(`/home/rooms/${crypto.randomUUID()}/history?range=week`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

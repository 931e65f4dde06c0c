import { expect, test, type Page } from "@playwright/test";
import { expectAxeClean, signInAndLand, unique, watchConsole } from "./helpers";

/**
 * A day long past, so that no label of another spec meets these hours: 28 October 2001, when Paris
 * went back from summer to winter time at 03:00 (02:00–02:59 come twice).
 */
const rteFile = () =>
  [
    "Périmètre;Nature;Date;Heures;Consommation;Taux de CO2",
    "France;Données consolidées;2001-10-28;01:45;50000;60",
    "France;Données consolidées;2001-10-28;02:00;50000;61",
    "France;Données consolidées;2001-10-28;02:30;50000;63",
    "France;Données consolidées;2001-10-28;02:00;50000;70",
    "France;Données consolidées;2001-10-28;02:30;50000;",
    "France;Données consolidées;2001-10-28;03:00;50000;80",
  ].join("\r\n") + "\r\n";

/** The count of loads the page states ("3 loads"). */
const loadsCount = async (page: Page) => Number((await page.getByText(/^[\d,]+ loads?$/).innerText()).replace(/\D/g, ""));

test("staff load RTE's hourly export and see what it loaded; a file with a bad line is refused whole", async ({ page }) => {
  const errors = watchConsole(page);
  const name = `eco2mix-${unique()}.csv`;
  await signInAndLand(page, "staff@hearth.test", "/admin");
  await page.getByRole("link", { name: "Carbon" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Grid carbon intensity" })).toBeVisible();
  // The seeded annual figure, with its source.
  await expect(page.getByRole("region", { name: "Annual grid intensities" })).toContainText("RTE, Bilan électrique 2024");

  // RTE's downloads are in Latin-1.
  await page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(rteFile(), "latin1") });
  await page.getByLabel("Country").first().fill("FR");
  await page.getByLabel("Source").first().fill("RTE éCO2mix, consolidated data (test)");
  await page.getByRole("button", { name: "Load file" }).click();
  await expect(page.getByText(/^Loaded 4 hours(, 4 of them replacing an earlier load)?, starting 28 Oct 2001, 01:00 CEST to 28 Oct 2001, 03:00 CET\. 1 line without a value skipped\.$/)).toBeVisible({
    timeout: 15_000,
  });
  const loads = page.getByRole("region", { name: "Hourly series loaded" });
  await expect(loads.getByRole("row").filter({ hasText: name })).toContainText("RTE éCO2mix, consolidated data (test)");
  await expectAxeClean(page);
  const before = await loadsCount(page);

  const bad = ["hour_start,intensity_g_per_kwh", "2001-10-29T00:00:00Z,50", "2001-10-29T01:00:00Z,fifty", "2001-10-29T02:00:00Z,52"].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: `bad-${name}`, mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByLabel("Source").first().fill("Bad file (test)");
  await page.getByRole("button", { name: "Load file" }).click();
  await expect(page.locator("#import-file-error")).toHaveText('Line 3: the intensity "fifty" is not a number of g/kWh. Nothing was loaded.');
  await expect(page.getByRole("list", { name: "Lines to fix" })).toContainText("Line 3:");
  await page.reload();
  expect(await loadsCount(page)).toBe(before);
  await expect(loads).not.toContainText(`bad-${name}`);
  await expectAxeClean(page);
  expect(errors).toEqual([]);
});

test("staff add an annual figure; more than three decimals is refused beside its field", async ({ page }) => {
  const source = `Test figure ${unique()}`;
  await signInAndLand(page, "staff@hearth.test", "/admin");
  await page.goto("/admin/carbon");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add annual figure" }) });
  await form.getByLabel("Country").fill("FR");
  await form.getByLabel("Effective from").fill("2001-01-01");
  await form.getByLabel("Intensity (g CO2e per kWh)").fill("21.7345");
  await form.getByLabel("Source").fill(source);
  await form.getByRole("button", { name: "Add annual figure" }).click();
  await expect(page.locator("#version-intensityGPerKWh-error")).toBeVisible();
  await expect(form.getByLabel("Source")).toHaveValue(source);
  await form.getByLabel("Intensity (g CO2e per kWh)").fill("21.734");
  await form.getByRole("button", { name: "Add annual figure" }).click();
  await expect(page.getByText("Annual figure added.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Annual grid intensities" }).getByRole("row").filter({ hasText: source })).toContainText("21.734");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the carbon page fits the screen", async ({ page }) => {
    await signInAndLand(page, "staff@hearth.test", "/admin");
    await page.goto("/admin/carbon");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

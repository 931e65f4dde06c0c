import { readFile, writeFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { expectAxeClean, signInAndLand, submitRenderTask, unique, watchConsole } from "./helpers";

/**
 * With the fleet running: the customer's carbon report shows its months as a chart and a table,
 * opens a month's tasks, downloads the CSV and the PDF, on a desktop and on a phone.
 */

/** The report's current month: calendar months in Paris time. */
const currentMonth = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit" }).format(new Date()).slice(0, 7);

async function download(page: Page, link: ReturnType<Page["getByRole"]>) {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return { name: file.suggestedFilename(), body: await readFile((await file.path())!) };
}

test.describe.configure({ mode: "serial" });

const name = `Carbon report ${unique()}`;

test("a finished task's month: chart, table, the month's tasks, CSV and PDF, another customer kept out", async ({ page, browser, request }) => {
  test.setTimeout(300_000);
  const errors = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await submitRenderTask(page, name);

  // Once the fleet has run it and metered its energy, the month's CSV has its line.
  const month = currentMonth();
  await expect(async () => {
    const csv = await (await page.request.get(`/compute/carbon/${month}/tasks.csv`)).text();
    const line = csv.split("\r\n").find((l) => l.includes(name));
    expect(Number(line?.split(",")[3] ?? 0)).toBeGreaterThan(0);
  }).toPass({ timeout: 240_000, intervals: [5_000] });

  await page.getByRole("navigation", { name: "Compute" }).getByRole("link", { name: "Carbon" }).click();
  await expect(page).toHaveURL(/\/compute\/carbon$/);
  await expect(page.getByRole("heading", { level: 1, name: "Carbon report" })).toBeVisible();
  await expect(page.getByText("Paris time (Europe/Paris)")).toBeVisible();
  // The chart draws two labelled series; its summary and the table give the same months in text.
  const chart = page.locator("figure").filter({ has: page.locator(".recharts-surface") });
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(chart.locator(".recharts-legend-wrapper")).toContainText("Carbon footprint");
  await expect(chart.locator(".recharts-legend-wrapper")).toContainText("Avoided, reported apart");
  await expect(page.getByTestId("carbon-chart-summary")).toContainText("Over these twelve months: footprint");
  const table = page.getByRole("table", { name: "Carbon Facts by month" });
  await expect(table.getByRole("row")).toHaveCount(14); // header, twelve months, the total
  await expect(page.getByRole("link", { name: "How these figures are computed" })).toHaveAttribute("href", /\/compute\/carbon\/methodology#hearth-carbon-2/);
  await expectAxeClean(page);
  await page.screenshot({ path: "test-results/carbon-report-desktop.png", fullPage: true });

  const months = await download(page, page.getByRole("link", { name: "Download CSV" }));
  expect(months.name).toMatch(/^carbon-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv$/);
  const rows = months.body.toString("utf8").trimEnd().split("\r\n");
  expect(rows[0]).toMatch(/^month,consumed_energy_Wh,it_energy_Wh,/);
  expect(rows).toHaveLength(13);
  expect(Number(rows.find((r) => r.startsWith(month))!.split(",")[1])).toBeGreaterThan(0);

  // The month: its label, its task's line linking to the task, and its downloads.
  const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
  await table.getByRole("link", { name: monthName }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Carbon report, ${monthName}`);
  await expect(page.getByRole("region", { name: "Carbon Facts", exact: true })).toContainText("hearth-carbon-2");
  const tasks = page.getByRole("table", { name: `Carbon Facts of ${monthName} by task` });
  await expect(tasks.getByRole("link", { name })).toHaveAttribute("href", /\/compute\/tasks\/[0-9a-f-]{36}#carbon$/);
  await expectAxeClean(page);
  await page.screenshot({ path: "test-results/carbon-report-month.png", fullPage: true });

  const csv = await download(page, page.getByRole("link", { name: "Download CSV of tasks" }));
  expect(csv.name).toBe(`carbon-${month}-tasks.csv`);
  expect(csv.body.toString("utf8")).toContain(name);
  const pdf = await download(page, page.getByRole("link", { name: "Download PDF" }));
  expect(pdf.name).toBe(`carbon-report-${month}.pdf`);
  expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
  await writeFile(`test-results/carbon-report-${month}.pdf`, pdf.body);
  expect(errors).toEqual([]);

  // Nobody signed in, and another customer, get none of it.
  for (const path of ["/compute/carbon/months.csv", `/compute/carbon/${month}/tasks.csv`, `/compute/carbon/${month}/report.pdf`]) {
    expect((await request.get(path)).status()).toBe(404);
  }
  expect((await page.request.get("/compute/carbon/2026-13/report.pdf")).status()).toBe(404);
  const other = await browser.newPage();
  await signInAndLand(other, "customer2@hearth.test", "/compute");
  const theirs = await other.request.get(`/compute/carbon/${month}/tasks.csv`);
  expect(theirs.status()).toBe(200);
  expect(await theirs.text()).not.toContain(name);
  await other.close();
});

test("on a phone: the chart, the table that scrolls by itself, the keyboard to a month", async ({ page }) => {
  const errors = watchConsole(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.goto("/compute/carbon");
  const chart = page.locator("figure").filter({ has: page.locator(".recharts-surface") });
  await expect(chart.locator(".recharts-surface").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Carbon Facts by month" })).toBeVisible();
  // Nothing wider than the phone but the table's own scrolling region.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAxeClean(page);
  await page.screenshot({ path: "test-results/carbon-report-phone.png", fullPage: true });
  // The first month link is reached with the keyboard and opens the month.
  const first = page.getByRole("table", { name: "Carbon Facts by month" }).getByRole("link").first();
  await first.focus();
  await expect(first).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Carbon report, /);
  await expect(page.getByRole("link", { name: "Download PDF" })).toBeVisible();
  await expectAxeClean(page);
  await page.screenshot({ path: "test-results/carbon-report-month-phone.png", fullPage: true });
  expect(errors).toEqual([]);
});

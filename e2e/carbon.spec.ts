import { expect, test } from "@playwright/test";
import { expectAxeClean, signInAndLand, submitRenderTask, unique, watchConsole } from "./helpers";

/**
 * With the fleet running: a finished task's Carbon Facts label shows the numbers the REST API
 * answers for it, links to the methodology, and compares with another datacenter on request.
 */

const KEY = { Authorization: "hearth-demo-key-customer" };
/** The first number written: "1,234.5 gCO2e" → 1234.5 */
const numberIn = (text: string) => Number(/-?[\d,]+(?:\.\d+)?/.exec(text)![0].replace(/,/g, ""));

test("with the fleet running: a finished task's label equals its carbon facts over the API", async ({ page, request }) => {
  test.setTimeout(300_000);
  const errors = watchConsole(page);
  const name = `Carbon ${unique()}`;
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await submitRenderTask(page, name);
  const taskUrl = page.url();
  const taskId = taskUrl.split("/").pop()!;

  // Zeros before any energy, not an error.
  const early = await request.get(`/api/v1/carbon/v1/tasks/${taskId}/carbon-facts`, { headers: KEY });
  expect(early.status()).toBe(200);

  // Once it has finished and its energy is metered, the label and the API agree figure by figure.
  const label = page.getByRole("region", { name: "Carbon Facts" });
  await expect(async () => {
    await page.goto(taskUrl);
    await expect(page.getByTestId("task-result").getByRole("img")).toBeVisible({ timeout: 1000 });
    expect(numberIn(await label.getByRole("definition").first().innerText())).toBeGreaterThan(0);
  }).toPass({ timeout: 180_000 });
  const facts = await (await request.get(`/api/v1/carbon/v1/tasks/${taskId}/carbon-facts`, { headers: KEY })).json();
  const figure = async (term: string) =>
    numberIn(await label.getByRole("term").getByText(term, { exact: true }).locator("xpath=following-sibling::dd[1]").innerText());
  expect(await figure("Energy consumed")).toBe(facts.total_consumed_energy_Wh);
  expect(await figure("IT energy, radiators' meters")).toBe(facts.total_energy_it_Wh);
  expect(await figure("Reused as heat a room asked for")).toBe(facts.total_reused_energy_Wh);
  expect(await figure("Carbon footprint")).toBe(facts.qarnot_carbon_footprint);
  expect(await figure("Avoided, reported apart")).toBe(facts.saved_carbon_footprint_compute_heat);
  expect(await figure("Datacenter plus heating")).toBe(facts.equivalent_DC_carbon_footprint);
  expect(await figure("PUE")).toBe(facts.PUE);

  // Carbon so far, on the task's status and in the queue, is the label's footprint to one decimal,
  // and the API's summary gives it as the label rounds it.
  const grams = (text: string) => numberIn(text) * (text.includes("kgCO2e") ? 1000 : 1);
  const soFar = page.getByRole("term").getByText("Carbon so far", { exact: true }).locator("xpath=following-sibling::dd[1]");
  const soFarText = (await soFar.innerText()).trim();
  expect(soFarText).toMatch(/^(< )?[\d,]+(\.\d)? k?gCO2e$/);
  const tolerance = soFarText.startsWith("<") ? 0.1 : soFarText.includes("kgCO2e") ? 50.001 : 0.051;
  expect(Math.abs(grams(soFarText) - facts.qarnot_carbon_footprint)).toBeLessThanOrEqual(tolerance);
  await soFar.getByRole("link").click();
  await expect(page).toHaveURL(/#carbon$/);
  const summary = await (await request.get(`/api/v1/tasks/${taskId}/summary`, { headers: KEY })).json();
  expect(summary.hearth.carbonGCO2e).toBe(facts.qarnot_carbon_footprint);
  await page.goto(`/compute/tasks?q=${encodeURIComponent(name)}`);
  const queue = page.getByRole("table", { name: "Tasks" });
  await expect(queue.getByRole("columnheader", { name: "Carbon so far" })).toBeVisible();
  await expect(queue.getByRole("row", { name: new RegExp(name) })).toContainText(soFarText);
  await page.goto(taskUrl);
  await expect(label).toContainText("hearth-carbon-2");
  await label.screenshot({ path: "test-results/carbon-label.png" });
  await expectAxeClean(page);

  // Another comparison, from the label's own form.
  await label.getByLabel("Compare with").selectOption("hyperscale-datacenter");
  await label.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(/dc=hyperscale-datacenter/);
  await expect(page.getByRole("region", { name: "Carbon Facts" })).toContainText("hyperscale datacenter (PUE 1.1)");

  // The methodology it links to names the version, its formulas and its factors' sources.
  await page.getByRole("link", { name: "How these figures are computed" }).click();
  await expect(page).toHaveURL(/\/compute\/carbon\/methodology#hearth-carbon-2$/);
  await expect(page.getByRole("heading", { level: 2, name: /hearth-carbon-2/ })).toBeVisible();
  await expect(page.getByRole("list", { name: "Factors of hearth-carbon-2" })).toContainText("Uptime Institute");
  await expect(page.getByRole("list", { name: "Annual grid carbon intensity" })).toContainText("RTE");
  await expectAxeClean(page);
  expect(errors).toEqual([]);

  // Another customer's carbon facts are a 404, and an unknown comparison a 400 that names it.
  const theirs = await request.get(`/api/v1/carbon/v1/tasks/${taskId}/carbon-facts`, { headers: { Authorization: "hearth-demo-key-customer2" } });
  expect(theirs.status()).toBe(404);
  const unknown = await request.get(`/api/v1/carbon/v1/tasks/${taskId}/carbon-facts?comparisonDatacenter=moon-base`, { headers: KEY });
  expect(unknown.status()).toBe(400);
  expect((await unknown.json()).message).toContain('"moon-base"');
});

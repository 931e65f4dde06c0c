import { expect, test } from "@playwright/test";
import { expectAxeClean, signInAndLand, unique } from "./helpers";

const lastMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
};

test("staff preview last month's refunds, close it (again, writing nothing new) and mark a statement paid", async ({ page }) => {
  const month = lastMonth();
  const monthLabel = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(month);
  await signInAndLand(page, "staff@hearth.test", "/admin");
  await page.getByRole("link", { name: "Refunds" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Electricity refunds" })).toBeVisible();
  await page.getByRole("link", { name: monthLabel }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Refunds for ${monthLabel}` })).toBeVisible();
  await expect(page.getByText("Dwellings to close", { exact: true })).toBeVisible();
  await expectAxeClean(page);

  // Closing writes what is not yet closed; closing again writes nothing.
  await page.getByRole("button", { name: /^Close (the month|again)$/ }).click();
  await expect(page.getByText(/^Close run \d+: \d+ statements? written, \d+ already closed\.$/)).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Close again" }).click();
  await expect(page.getByText(/^Close run \d+: 0 statements written, [1-9]\d* already closed\.$/)).toBeVisible({ timeout: 20_000 });

  // The demo resident's statement, paid by one transfer.
  const statements = page.getByRole("table", { name: "Statements of the month" });
  await expect(statements).toContainText("A-204");
  await expect(statements).toContainText(/FR76 •••• •••• •••• \d{4}/);
  await expect(statements).not.toContainText("FR7630006000011234567890189");
  const reference = `VIR-${unique()}`;
  await page.getByRole("checkbox", { name: /flat A-204/ }).check();
  await page.getByLabel("Payment reference").fill(reference);
  await page.getByRole("button", { name: "Mark 1 paid" }).click();
  await expect(page.getByText("1 statement marked paid.")).toBeVisible();
  await expect(statements.getByRole("row").filter({ hasText: "A-204" })).toContainText(reference);
});

test("staff add a tariff version; a negative price is refused beside its field with what was typed kept", async ({ page }) => {
  const label = `Tarif Bleu test ${unique()}`;
  await signInAndLand(page, "staff@hearth.test", "/admin");
  await page.getByRole("link", { name: "Tariffs" }).click();
  await expect(page.getByRole("table", { name: "Tariff versions" })).toContainText("0.2276");

  await page.getByLabel("Label").fill(label);
  await page.getByLabel("Effective from").fill("2031-01-01");
  await page.getByLabel("Price (€ per kWh, taxes included)").fill("-0.1");
  await page.getByLabel("Source").fill("Test table");
  await page.getByRole("button", { name: "Add tariff version" }).click();
  await expect(page.locator("#priceEurosPerKWh-error")).toBeVisible();
  await expect(page.getByLabel("Label")).toHaveValue(label);

  await page.getByLabel("Price (€ per kWh, taxes included)").fill("0.2015");
  await page.getByRole("button", { name: "Add tariff version" }).click();
  await expect(page.getByText("Tariff version added.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Tariff versions" })).toContainText(label);
  await expectAxeClean(page);
});

import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { expectAxeClean, signInAndLand, unique, watchConsole } from "./helpers";

/**
 * The budget guard in the browser: the submit form prices the task as it is filled, warns that a
 * blocking budget would refuse it, and a refused submission says by how much, at the top of the
 * form, where focus goes. The budget is large enough (€100) that the small tasks other specs
 * submit for the same account alongside still fit; it is removed at the end.
 */
test("a task that would overrun a blocking monthly budget is refused, saying by how much", async ({ page }) => {
  const errors = watchConsole(page);
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  const [org] = await sql<{ id: string }[]>`select id from organizations where name = 'Lumen Animation Studio'`;
  try {
    await sql`
      insert into organization_budgets (organization_id, monthly_budget_cents, policy) values (${org!.id}, 10000, 'block')
      on conflict (organization_id) do update set monthly_budget_cents = 10000, policy = 'block'`;
    await signInAndLand(page, "customer@hearth.test", "/compute");
    await page.goto("/compute/tasks/new");
    const name = `budget ${unique()}`;
    await page.getByRole("radio", { name: /monte-carlo/ }).check();
    await page.getByLabel("Task name").fill(name);
    // Monte-Carlo: 120 expected core-seconds an instance, 2 core-minutes at 25 c per core-hour, 5/6 c
    // each, the task rounded once: 120 instances, €1.00.
    await page.getByLabel("How many instances").fill("120");
    const estimate = page.getByRole("complementary", { name: "Estimate and jobs" });
    await expect(estimate.getByTestId("estimate-cost")).toHaveText("about €1.00");
    await expect(estimate.getByText(/Within your monthly budget of €100\.00/)).toBeVisible();
    // Reserved costs more: 60 c per core-hour, 2 c an instance.
    await page.getByLabel("Scheduling").selectOption("Reserved");
    await expect(estimate.getByTestId("estimate-cost")).toHaveText("about €2.40");
    await page.getByLabel("Scheduling").selectOption("Flex");
    await page.getByLabel("How many instances").fill("24000");
    await expect(estimate.getByTestId("estimate-cost")).toHaveText("about €200.00");
    await expect(estimate.getByText(/would overrun your monthly budget of €100\.00 by €\d+\.\d\d.*It would be refused\./)).toBeVisible();
    await expectAxeClean(page);

    await page.getByRole("button", { name: "Submit task" }).click();
    const summary = page.getByTestId("error-summary");
    await expect(summary).toBeVisible();
    await expect(summary).toContainText(/This task's estimate of €200\.00 would overrun your monthly budget of €100\.00 by €1\d\d\.\d\d/);
    await expect(summary).toBeFocused();
    await expect(page).toHaveURL(/\/compute\/tasks\/new$/);
    await expectAxeClean(page);
    // Nothing was created.
    expect(await sql`select 1 from tasks where name = ${name}`).toHaveLength(0);

    // A task that fits goes through, from the same form.
    await page.getByLabel("How many instances").fill("10");
    await page.getByRole("button", { name: "Submit task" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(page.getByText("Cost so far")).toBeVisible();
  } finally {
    await sql`delete from organization_budgets where organization_id = ${org!.id}`;
    await sql.end();
  }
  expect(errors).toEqual([]);
});

test("the submit form's estimate works on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signInAndLand(page, "customer2@hearth.test", "/compute");
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /monte-carlo/ }).check();
  await page.getByLabel("How many instances").fill("360");
  await expect(page.getByTestId("estimate-cost")).toHaveText("about €3.00");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
});

test("the billing page lists the months with their totals and downloads a month's invoice as CSV and PDF", async ({ page }) => {
  const errors = watchConsole(page);
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.getByRole("navigation", { name: "Compute" }).getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  const months = page.getByRole("table", { name: "Invoices by month" });
  await expect(months.getByText("so far")).toBeVisible();
  await expect(months.getByRole("columnheader", { name: "Paid from credits" })).toBeVisible();
  await expect(months.getByRole("columnheader", { name: "Due" })).toBeVisible();
  await expectAxeClean(page);
  const current = await months.getByRole("link").first().textContent();
  await months.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${current}, so far`);
  const lines = page.getByRole("table", { name: /Invoice lines/ });
  await expect(lines.getByText("Total")).toBeVisible();
  // After the total: what the prepaid credits paid of it, and what is due.
  await expect(lines.getByRole("row", { name: /Paid from prepaid credits/ })).toBeVisible();
  await expect(lines.getByRole("row", { name: /Amount due/ })).toBeVisible();
  await expectAxeClean(page);
  const month = page.url().split("/").pop()!;
  const csv = await page.request.get(`/compute/account/billing/${month}/invoice.csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const csvRows = (await csv.text()).trimEnd().split("\r\n");
  expect(csvRows[0]).toBe("month,task,task_id,job_id,scheduling_type,rate_cents_per_core_hour,attempts,core_seconds,billed_core_minutes,amount_cents,amount_eur");
  expect(csvRows.slice(-3).map((r) => r.split(",")[1])).toEqual(["Total", "Paid from prepaid credits", "Amount due"]);
  const pdf = await page.request.get(`/compute/account/billing/${month}/invoice.pdf`);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  expect(errors).toEqual([]);
  // A month without charges is no invoice (the page's 404 is the one console error then).
  expect((await page.request.get("/compute/account/billing/1999-01/invoice.csv")).status()).toBe(404);
  expect((await page.goto("/compute/account/billing/1999-01"))?.status()).toBe(404);
});

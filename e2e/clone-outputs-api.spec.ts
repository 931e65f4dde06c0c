import { expect, test } from "@playwright/test";
import { signInAndLand, submitRenderTask, unique, watchConsole } from "./helpers";

/** A customer clones a task into the submit form and submits the copy; another account cannot clone it. */

test("a customer clones a task with all its settings, edits it and submits the copy", async ({ page, browser }) => {
  const errors = watchConsole(page);
  const name = `Clone me ${unique()}`;
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /monte-carlo/ }).check();
  await page.getByLabel("Task name").fill(name);
  await page.getByLabel("How many instances").fill("3");
  await page.getByLabel("Option type").selectOption("asian");
  await page.getByLabel("Spot price").fill("101");
  await page.getByLabel("Tags (optional)").fill("e2e, clone");
  await page.getByLabel("Scheduling").selectOption("OnDemand");
  await page.getByLabel("Maximum wall time per instance (minutes)").fill("30");
  await page.getByLabel("Retries per failed instance").fill("1");
  await page.getByRole("button", { name: "Submit task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const taskUrl = page.url();

  await page.getByRole("link", { name: "Clone task" }).click();
  await expect(page).toHaveURL(/\/compute\/tasks\/new\?from=[0-9a-f-]{36}$/);
  await expect(page.getByRole("radio", { name: /monte-carlo/ })).toBeChecked();
  await expect(page.getByLabel("Task name")).toHaveValue(`${name} (copy)`);
  await expect(page.getByLabel("How many instances")).toHaveValue("3");
  await expect(page.getByLabel("Option type")).toHaveValue("asian");
  await expect(page.getByLabel("Averaging dates")).toBeVisible();
  await expect(page.getByLabel("Spot price")).toHaveValue("101");
  await expect(page.getByLabel("Tags (optional)")).toHaveValue("e2e, clone");
  await expect(page.getByLabel("Scheduling")).toHaveValue("OnDemand");
  await expect(page.getByLabel("Maximum wall time per instance (minutes)")).toHaveValue("30");
  await expect(page.getByLabel("Retries per failed instance")).toHaveValue("1");

  await page.getByLabel("How many instances").fill("5");
  await page.getByRole("button", { name: "Submit task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} (copy)`);
  await expect(page.getByText("5 instances, numbered 0-4")).toBeVisible();
  expect(errors).toEqual([]);

  // Another account's clone link finds no task.
  const other = await browser.newPage();
  await signInAndLand(other, "customer2@hearth.test", "/compute");
  const response = await other.goto(`/compute/tasks/new?from=${taskUrl.split("/").pop()}`);
  expect(response?.status()).toBe(404);
  await other.close();
});

test("with the fleet running: all outputs of a task download as one zip with its result", async ({ page, request }) => {
  test.setTimeout(300_000);
  const errors = watchConsole(page);
  const name = `Zip ${unique()}`;
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await submitRenderTask(page, name);
  const taskUrl = page.url();
  await expect(async () => {
    await page.goto(taskUrl);
    await expect(page.getByTestId("task-result").getByRole("img", { name: /Contact sheet of the 2 rendered frames/ })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 180_000 });

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download all (zip)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^task-[0-9a-f]{8}-outputs\.zip$/);
  const { unzipSync } = await import("fflate");
  const { readFile } = await import("node:fs/promises");
  const names = Object.keys(unzipSync(new Uint8Array(await readFile((await file.path())!))));
  expect(names).toContain("result/contact-sheet.png");
  expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^instance-1\/.+\.png$/), expect.stringMatching(/^instance-2\/.+\.png$/)]));
  expect(errors).toEqual([]);

  // Without the account's session there is nothing to download.
  expect((await request.get(`${taskUrl}/outputs.zip`)).status()).toBe(404);
});

test("the API keys page links to the REST API reference, drawn from the OpenAPI description under the site's policy", async ({ page }) => {
  const errors = watchConsole(page);
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.goto("/compute/account");
  await page.getByRole("link", { name: "REST API reference" }).click();
  await expect(page).toHaveURL(/\/compute\/api$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("REST API reference");
  for (const tag of ["Account", "Tasks", "Jobs"]) await expect(page.getByRole("heading", { level: 2, name: tag })).toBeVisible();
  const described = (await (await page.request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(described.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
  await expect(page.locator("section[id^='tag-'] article")).toHaveCount(operations.length);
  const submit = page.locator("article#submitTasks");
  await expect(submit).toContainText("POST");
  await expect(submit).toContainText("/tasks");
  await submit.getByRole("link", { name: "TaskCreate" }).first().click();
  await expect(page).toHaveURL(/#schema-TaskCreate$/);
  await expect(page.getByRole("table", { name: "Fields of TaskCreate" })).toBeVisible();
  expect(errors).toEqual([]);
});

import { expect, test, type Page } from "@playwright/test";
import { cancelTaskUntilNotified, signInAndLand, submitContainerTask, unique, watchConsole } from "./helpers";

/**
 * A compute customer's browser flows: submit a Monte-Carlo task and a 120-frame render, find them
 * in the queue, open a task (grid, queue standing, instance details, log), cancel some instances
 * and a whole task, read the notification, manage API keys, and see a bad range refused next to
 * its field.
 */

async function submitMonteCarlo(page: Page, name: string) {
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /monte-carlo/ }).check();
  await page.getByLabel("Task name").fill(name);
  await page.getByLabel("How many instances").fill("4");
  await page.getByLabel("Option type").selectOption("asian");
  await expect(page.getByLabel("Averaging dates")).toBeVisible();
  await page.getByLabel("Call or put").selectOption("put");
  await page.getByLabel("Spot price").fill("100");
  await page.getByLabel("Strike price").fill("105");
  await page.getByLabel("Volatility (per year)").fill("0.25");
  await page.getByLabel("Paths per instance").fill("20000");
  await page.getByLabel("Tags (optional)").fill("e2e, pricing");
  await page.getByRole("button", { name: "Submit task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page).toHaveURL(/\/compute\/tasks\/[0-9a-f-]{36}$/);
}

async function submitRender(page: Page, name: string, frames: string) {
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /render/ }).check();
  await page.getByLabel("Task name").fill(name);
  // A render numbers its instances by frame.
  await expect(page.getByRole("radio", { name: "Frame numbers" })).toBeChecked();
  await page.getByLabel("Frames", { exact: true }).fill(frames);
  await page.getByLabel("Width (pixels)").fill("160");
  await page.getByLabel("Height (pixels)").fill("120");
  await page.getByLabel("Samples per pixel").fill("2");
  await page.getByLabel("Scheduling").selectOption("OnDemand");
  await page.getByRole("button", { name: "Submit task" }).click();
}

test("a customer submits a Monte-Carlo task and a 120-frame render and follows them", async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchConsole(page);
  const run = unique();
  const mcName = `Asian put ${run}`;
  const renderName = `Orbit ${run}`;
  await signInAndLand(page, "customer@hearth.test", "/compute");

  await page.getByRole("main").getByRole("link", { name: "Submit a task" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit a task" })).toBeVisible();
  // The estimate follows the profile and the instance count.
  await page.getByRole("radio", { name: /render/ }).check();
  await page.getByLabel("Frames", { exact: true }).fill("1-120");
  await expect(page.getByRole("complementary", { name: "Estimate and jobs" })).toContainText("120");

  await submitMonteCarlo(page, mcName);
  await expect(page.getByTestId("instance-grid").locator("[data-i]")).toHaveCount(4);

  await submitRender(page, renderName, "1-120");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(renderName);
  const grid = page.getByTestId("instance-grid");
  await expect(grid.locator("[data-i]")).toHaveCount(120);
  // Interactive once its script has run.
  await expect(grid).toHaveAttribute("data-ready");
  await expect(page.getByRole("list", { name: "Legend: instances by state" })).toBeVisible();

  // An instance's details, from the mouse and from the keyboard.
  await grid.locator('[data-i="4"]').click();
  await expect(page.getByTestId("instance-details")).toContainText("Instance 5");
  await expect(page.getByTestId("instance-details")).toContainText("Attempts");
  await grid.focus();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("instance-details")).toContainText("Instance 120");

  // The log tail, scoped to that instance.
  await page.getByRole("button", { name: "Show its log" }).click();
  await expect(page.getByTestId("log-output")).toHaveAccessibleName("stdout of instance 120");
  await page.getByRole("button", { name: "stderr" }).click();
  await expect(page.getByTestId("log-output")).toHaveAccessibleName("stderr of instance 120");
  const renderUrl = page.url();

  // Both in the queue; filters live in the URL.
  await page.getByRole("link", { name: "Tasks", exact: true }).click();
  await page.getByLabel("Search").fill(run);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${run}`));
  const queue = page.getByRole("table", { name: "Tasks" });
  await expect(queue.getByRole("link", { name: mcName })).toBeVisible();
  await expect(queue.getByRole("link", { name: renderName })).toBeVisible();
  await expect(queue.getByRole("progressbar", { name: `Progress of ${renderName}` })).toBeVisible();
  await page.getByLabel("Profile").selectOption("render");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/profile=render/);
  await expect(queue.getByRole("link", { name: renderName })).toBeVisible();
  await expect(queue.getByRole("link", { name: mcName })).toHaveCount(0);

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/compute\/tasks$/);
  await expect(page.getByLabel("Profile")).toHaveValue("");

  // Container work waits on this fleet (no radiator offers a runtime), and says why; cancelling
  // the whole task ends it, and its ending is notified.
  const dockerName = `Batch ${run}`;
  await submitContainerTask(page, dockerName, 3);
  const standing = page.getByTestId("queue-standing");
  await expect(standing).toContainText("Why it waits");
  await expect(standing).toContainText("container runtime");
  const dockerGrid = page.getByTestId("instance-grid");
  await expect(dockerGrid).toHaveAttribute("data-ready");
  await page.getByLabel("Instances to cancel").fill("2");
  await page.getByRole("button", { name: "Cancel instances…" }).click();
  await page.getByRole("button", { name: "Yes, cancel 1 instance" }).click();
  await expect(page.getByRole("form", { name: "Cancel instances" }).getByRole("status")).toContainText(/instance cancelled/, {
    timeout: 15_000,
  });
  await expect(dockerGrid.locator('[data-i="2"]')).toHaveAttribute("data-state", "cancelled");
  await expect(page.getByRole("table", { name: "Time and energy per instance" })).toBeVisible();
  const title = await cancelTaskUntilNotified(page, dockerName);
  await expect(page.getByTestId("unread-count")).toBeVisible();
  const item = page.getByRole("listitem").filter({ hasText: title });
  await item.getByRole("button", { name: /Mark as read/ }).click();
  await expect(item.getByRole("button", { name: /Mark as read/ })).toHaveCount(0);

  // Meanwhile the simulated fleet has rendered the 120 frames: the contact sheet shows them all.
  const state = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Status/ }) });
  await expect(async () => {
    await page.goto(renderUrl);
    await expect(state).toContainText("Succeeded", { timeout: 1000 });
  }).toPass({ timeout: 180_000 });
  await expect(page.getByTestId("task-result").getByRole("img", { name: /Contact sheet of the 120 rendered frames/ })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a bad instance range is refused next to its field, and nothing is submitted", async ({ page }) => {
  const errors = watchConsole(page);
  const name = `Bad range ${unique()}`;
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await submitRender(page, name, "120-1");
  const frames = page.getByLabel("Frames", { exact: true });
  await expect(frames).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#instanceRanges-error")).toContainText("reversed");
  // What was typed stays, so that it can be corrected.
  await expect(frames).toHaveValue("120-1");
  await expect(page.getByLabel("Task name")).toHaveValue(name);
  await expect(page).toHaveURL(/\/compute\/tasks\/new$/);

  await page.goto(`/compute/tasks?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("table", { name: "Tasks" })).toContainText("No tasks here.");
  expect(errors).toEqual([]);
});

test("a customer creates an API key shown once, and revokes it", async ({ page }) => {
  const errors = watchConsole(page);
  const keyName = `CI ${unique()}`;
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.getByRole("link", { name: "Account & API keys" }).click();
  await expect(page.getByRole("table", { name: "Members of the organization" })).toContainText("customer@hearth.test");

  await page.getByLabel("Key name").fill(keyName);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^hk_[A-Za-z2-7]{40}$/);
  await expect(page.getByText("it will not be shown again")).toBeVisible();
  const keys = page.getByRole("table", { name: "API keys" });
  const row = keys.getByRole("row").filter({ hasText: keyName });
  await expect(row).toContainText("active");
  await expect(row).toContainText("never");

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByRole("main")).not.toContainText(key);
  await row.getByRole("button", { name: `Revoke the key ${keyName}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("cannot be undone");
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  expect(errors).toEqual([]);
});

/** Needs radiators that run work: `npm test` plays the demo fleet with the simulator, 60× real time. */
test("with the fleet running: a log to tail, a contact sheet to download, failed instances to rerun", async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchConsole(page);
  const run = unique();
  await signInAndLand(page, "customer@hearth.test", "/compute");

  await submitRender(page, `Frames ${run}`, "1-4");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Frames ${run}`);
  const taskUrl = page.url();

  const state = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Status/ }) });
  await expect(async () => {
    await page.goto(taskUrl);
    await expect(state).toContainText("Succeeded", { timeout: 1000 });
  }).toPass({ timeout: 180_000 });
  await expect(page.getByTestId("log-output")).toContainText(/frame-000\d\.png/);
  await expect(page.getByTestId("task-result").getByRole("img", { name: /Contact sheet of the 4 rendered frames/ })).toBeVisible();
  const sheet = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download contact sheet" }).click();
  expect((await sheet).suggestedFilename()).toMatch(/^contact-sheet-.*\.png$/);
  const frame = page.waitForEvent("download");
  await page.getByRole("link", { name: /frame-0001\.png/ }).click();
  expect((await frame).suggestedFilename()).toBe("frame-0001.png");

  // A wall time shorter than a frame takes: every attempt is stopped and fails, without retries.
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /render/ }).check();
  await page.getByLabel("Task name").fill(`Too short ${run}`);
  await page.getByLabel("Frames", { exact: true }).fill("1-2");
  await page.getByLabel("Maximum wall time per instance (minutes)").fill("1");
  await page.getByLabel("Retries per failed instance").fill("0");
  await page.getByRole("button", { name: "Submit task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Too short ${run}`);
  const failedUrl = page.url();
  await expect(async () => {
    await page.goto(failedUrl);
    await expect(state).toContainText("Failed", { timeout: 1000 });
  }).toPass({ timeout: 180_000 });
  await page.getByTestId("instance-grid").locator('[data-i="0"]').click();
  await page.getByRole("button", { name: "Show its log" }).click();
  await page.getByRole("button", { name: "stderr" }).click();
  await expect(page.getByTestId("log-output")).toContainText("wall time");
  await page.getByRole("button", { name: "Rerun 2 failed instances" }).click();
  await expect(page.getByText("2 failed instances queued again.")).toBeVisible({ timeout: 15_000 });
  expect(errors).toEqual([]);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the compute pages fit the screen", async ({ page }) => {
    const errors = watchConsole(page);
    await signInAndLand(page, "customer@hearth.test", "/compute");
    for (const path of ["/compute", "/compute/tasks", "/compute/tasks/new", "/compute/notifications", "/compute/account"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    // A task's page too, when there is one.
    await page.goto("/compute/tasks");
    const first = page.getByRole("table", { name: "Tasks" }).getByRole("link").first();
    if ((await first.count()) > 0) {
      await first.click();
      await expect(page.getByTestId("instance-grid")).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, "task page").toBeLessThanOrEqual(0);
    }
    expect(errors).toEqual([]);
  });
});

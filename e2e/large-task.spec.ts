import { expect, test } from "@playwright/test";
import { signInAndLand } from "./helpers";

/**
 * A task of 100,000 instances: its page stays light (the document with its RSC payload under
 * 500 KB, each live refresh far less), the grid shows blocks of instances rather than a square
 * each, and any instance is still reached by number.
 */
test("a task of 100,000 instances has a light page and a grid of blocks", async ({ page }) => {
  test.setTimeout(120_000);
  // Another account than the other specs' tasks: its queue does not hold theirs up; the task is cancelled at the end.
  await signInAndLand(page, "customer2@hearth.test", "/compute");
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /monte-carlo/ }).check();
  const name = `huge-${Date.now().toString(36)}`;
  await page.getByLabel("Task name").fill(name);
  await page.getByLabel("How many instances").fill("100000");
  await page.getByLabel("Spot price").fill("100");
  await page.getByLabel("Strike price").fill("105");
  await page.getByLabel("Volatility (per year)").fill("0.25");
  await page.getByLabel("Paths per instance").fill("1000");
  // More cores than any radiator has: the task waits in the queue, so the fleet keeps serving the
  // other specs' work and the grid holds still between two polls.
  await page.getByLabel("Minimum cores of a node").fill("256");
  await page.getByRole("button", { name: "Submit task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name, { timeout: 30_000 });
  const url = page.url();

  // A first load: the HTML document carries the RSC payload of the page.
  const document = await page.goto(url);
  const documentBytes = (await document!.body()).length;
  expect(documentBytes).toBeLessThan(500 * 1024);

  const grid = page.getByTestId("instance-grid");
  // The grid's first read (about 1.5 s after submitting on a quiet machine) shares the server with
  // the other specs and the simulated fleet here.
  await expect(grid).toHaveAttribute("data-ready", "", { timeout: 30_000 });
  await expect(grid).toHaveAttribute("data-block-size", "50");
  await expect(grid).toHaveAccessibleName("Instance grid, 100,000 instances in 2,000 blocks of 50");
  expect(await grid.locator("[data-i]").count()).toBe(2000);
  expect(await grid.locator("*").count()).toBeLessThan(5000);

  // The page's live refresh re-renders its server parts only; the grid's own poll answers a version when nothing changed.
  // (Measured as the whole page's RSC payload, which a refresh never exceeds.)
  const refresh = await page.request.get(url, { headers: { RSC: "1" } });
  expect(refresh.ok()).toBe(true);
  expect((await refresh.body()).length).toBeLessThan(200 * 1024);
  // The grid's poll may share its HTTP request with the log tail's: measure the grid's own answer.
  const poll = await page.waitForResponse((r) => r.url().includes("compute.instanceGrid") && r.url().includes("since"), { timeout: 15_000 });
  const procedures = new URL(poll.url()).pathname.split("/").pop()!.split(",");
  const answers = (await poll.json()) as unknown[];
  const gridAnswer = answers[procedures.indexOf("compute.instanceGrid")];
  expect(JSON.stringify(gridAnswer).length).toBeLessThan(2 * 1024);

  // Blocks say their mix from the keyboard; any instance opens by number.
  await grid.focus();
  await page.keyboard.press("End");
  await expect(page.getByText(/^Instances 99950 to 99999: /)).toBeAttached();
  await page.getByLabel("Instance number").fill("54321");
  await page.getByRole("button", { name: "Show instance" }).click();
  await expect(page.getByTestId("instance-details")).toContainText("Instance 54321:");
  await expect(grid.locator("[data-selected]")).toHaveAttribute("data-i", "1086");
  await expect(page.getByText("Instance numbers by state, as text")).toBeVisible();

  await page.getByText("Cancel task…").click();
  await page.getByRole("button", { name: "Yes, cancel the task" }).click();
  await expect(grid.locator("[data-state=cancelled]").first()).toBeVisible({ timeout: 15_000 });
});

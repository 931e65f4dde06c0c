import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const DEMO_PASSWORD = "hearth-demo";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAndLand(page: Page, email: string, path: string) {
  await signIn(page, email);
  // A password check is slow on purpose (scrypt), and the first one warms a cold server.
  await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: 20_000 });
}

/** Collects console errors and uncaught page errors: a script blocked by the content security policy shows up as one. */
export function watchConsole(page: Page) {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** A short name no other run has used, so that parallel specs find their own records. */
export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** No accessibility violation axe can find on the page as it is now (WCAG 2.1 A and AA rules). */
export async function expectAxeClean(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/**
 * Submits a container task from the submit form and lands on its page. Container work waits on the
 * demo fleet (no radiator offers a runtime), so the task stays live until it is cancelled.
 */
export async function submitContainerTask(page: Page, name: string, instances: number) {
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /docker-batch/ }).check();
  await page.getByLabel("Task name").fill(name);
  await page.getByLabel("How many instances").fill(String(instances));
  await page.getByLabel("Container image").fill("python:3.12-slim");
  await page.getByLabel("Command", { exact: true }).fill("python -c 'print(1)'");
  await page.getByRole("button", { name: "Submit task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
}

/** Submits a small render (two frames by default) from the form, and lands on its page. */
export async function submitRenderTask(page: Page, name: string, frames = "1-2") {
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /render/ }).check();
  await page.getByLabel("Task name").fill(name);
  await page.getByLabel("Frames", { exact: true }).fill(frames);
  await page.getByRole("button", { name: "Submit task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
}

/** Cancels the whole task from its page, then waits on the notifications page for its ending to be notified. */
export async function cancelTaskUntilNotified(page: Page, name: string) {
  await page.locator("summary", { hasText: "Cancel task…" }).click();
  await page.getByRole("button", { name: "Yes, cancel the task" }).click();
  await expect(page.getByText(/Cancelled: running instances stop/)).toBeVisible();
  // Once no radiator runs any of its instances, the ending is notified to the organization.
  const title = `Task "${name}" was cancelled`;
  await expect(async () => {
    await page.goto("/compute/notifications");
    await expect(page.getByRole("link", { name: title })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  return title;
}

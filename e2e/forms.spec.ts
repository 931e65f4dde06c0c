import { expect, test } from "@playwright/test";
import { signInAndLand } from "./helpers";

/**
 * Forms that respect the person filling them: every problem at once in an error summary that
 * takes focus and links to each field, and a refused form that keeps what was typed.
 */

test("a refused task lists every problem at once, takes focus, links to each field and keeps the input", async ({ page }) => {
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.goto("/compute/tasks/new");
  await page.getByRole("radio", { name: /monte-carlo/ }).check();
  await page.getByLabel("Task name").fill("Refused pricing");
  await page.getByLabel("How many instances").fill("0");
  await page.getByLabel("Spot price").fill("-5");
  await page.getByLabel("Minimum cores of a node").fill("0");
  await page.getByRole("button", { name: "Submit task" }).click();

  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toHaveAttribute("role", "alert");
  await expect(summary.getByRole("heading")).toHaveText("There is a problem");
  // The instance count, the cores and the profile's constant: all in one answer, in plain words.
  await expect(summary.getByRole("link", { name: "At least 1 instance." })).toHaveAttribute("href", "#instanceCount");
  await expect(summary.getByRole("link", { name: "At least 1 core." })).toHaveAttribute("href", "#minCores");
  const spot = summary.getByRole("link", { name: /must be greater than 0/ });
  await expect(spot).toHaveAttribute("href", "#constant-spot");
  await expect(summary).not.toContainText(/expected|>=/);

  // Each field shows its own message, and a link moves focus to its field.
  await expect(page.getByLabel("How many instances")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Spot price")).toHaveAttribute("aria-invalid", "true");
  await spot.click();
  await expect(page.getByLabel("Spot price")).toBeFocused();

  // What was typed is still there.
  await expect(page.getByLabel("Task name")).toHaveValue("Refused pricing");
  await expect(page.getByLabel("Spot price")).toHaveValue("-5");
  await expect(page.getByLabel("How many instances")).toHaveValue("0");
  await expect(page).toHaveURL(/\/compute\/tasks\/new$/);
});

test("a gateway refused for a duplicate serial or an unknown dwelling keeps Serial and Dwelling", async ({ page }) => {
  await signInAndLand(page, "staff@hearth.test", "/admin");
  await page.goto("/admin/gateways");
  const building = "Résidence Balard — Bâtiment A";

  // An unknown dwelling: refused beside the Dwelling field, with both fields as typed.
  const serial = `QBOX-FORMS-${Date.now().toString(36)}`;
  await page.getByLabel("Building").selectOption({ label: building });
  await page.getByLabel("Dwelling (optional)").fill("Z-999");
  await page.getByLabel("Serial").fill(serial);
  await page.getByRole("button", { name: "Register gateway" }).click();
  await expect(page.getByText('No dwelling "Z-999" in this building.')).toBeVisible();
  await expect(page.getByLabel("Dwelling (optional)")).toHaveValue("Z-999");
  await expect(page.getByLabel("Serial")).toHaveValue(serial);
  await expect(page.getByLabel("Building").locator("option:checked")).toHaveText(building);

  // A serial already registered (the demo's gateway of flat A-204): refused beside Serial.
  const taken = "QBOX-PAR-A-204";
  await page.goto("/admin/gateways");
  await page.getByLabel("Building").selectOption({ label: building });
  await page.getByLabel("Dwelling (optional)").fill("A-204");
  await page.getByLabel("Serial").fill(taken);
  await page.getByRole("button", { name: "Register gateway" }).click();
  await expect(page.getByText(`A gateway with serial ${taken} already exists.`)).toBeVisible();
  await expect(page.getByLabel("Serial")).toHaveValue(taken);
  await expect(page.getByLabel("Serial")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Dwelling (optional)")).toHaveValue("A-204");
});

test("a deep link survives sign-in, query included", async ({ page }) => {
  await page.goto("/admin/gateways?q=Balard");
  await expect(page).toHaveURL(/\/signin\?next=%2Fadmin%2Fgateways%3Fq%3DBalard$/);
  await page.getByLabel("E-mail").fill("staff@hearth.test");
  await page.getByLabel("Password").fill("hearth-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/gateways\?q=Balard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Gateways" })).toBeVisible();
});

test("sign-in sends nowhere but this site, whatever `next` says", async ({ page }) => {
  await page.goto(`/signin?next=${encodeURIComponent("//evil.example/admin")}`);
  await page.getByLabel("E-mail").fill("staff@hearth.test");
  await page.getByLabel("Password").fill("hearth-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/^http:\/\/[^/]+\/admin$/);
});

test("a customer sent from the operator console is told why", async ({ page }) => {
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.goto("/admin/gateways");
  await expect(page).toHaveURL(/\/compute\?elsewhere=staff$/);
  await expect(page.getByTestId("elsewhere-notice")).toHaveText("That page is for operator staff; here is your own.");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the task filters fold away so that the list is on the first screen, and open when a filter is active", async ({ page }) => {
    await signInAndLand(page, "customer@hearth.test", "/compute");
    await page.goto("/compute/tasks");
    const filters = page.getByTestId("filters");
    await expect(filters).not.toHaveAttribute("open");
    await expect(page.getByLabel("Search")).toBeHidden();
    // The list's first row (or its empty state) is within the first screen.
    const list = page.getByRole("table", { name: "Tasks" });
    await expect(list).toBeInViewport();

    await filters.getByText("Filters", { exact: true }).click();
    await expect(page.getByLabel("Search")).toBeVisible();

    await page.goto("/compute/tasks?state=Success");
    await expect(page.getByTestId("filters")).toHaveAttribute("open");
    await expect(page.getByTestId("filters")).toContainText("1 active");
    await expect(page.getByLabel("State")).toBeVisible();
  });
});

test("on a desktop the task filters are open", async ({ page }) => {
  await signInAndLand(page, "customer@hearth.test", "/compute");
  await page.goto("/compute/tasks");
  await expect(page.getByLabel("Search")).toBeVisible();
});

import { expect, test } from "@playwright/test";
import { signIn, signInAndLand } from "./helpers";

/**
 * Each demo account, where it lands, what it must see, and what belongs to someone else.
 * (Radiator and gateway counts are left out: the staff spec registers new ones in parallel.)
 */
const accounts = [
  { email: "customer@hearth.test", path: "/compute", sees: ["Lumen Animation Studio"], never: ["Carmin"] },
  { email: "customer2@hearth.test", path: "/compute", sees: ["Carmin Risk Analytics"], never: ["Lumen"] },
  { email: "resident@hearth.test", path: "/home", sees: ["Logement A-204", "Séjour", "Q.rad QR-500"], never: ["Q-305"] },
  { email: "resident2@hearth.test", path: "/home", sees: ["Logement Q-305", "Cuisine", "Q.rad QR-650"], never: ["A-204"] },
  { email: "landlord@hearth.test", path: "/landlord", sees: ["Bâtiment A", "100 logements"], never: ["Bâtiment Quai", "Chartrons"] },
  { email: "landlord2@hearth.test", path: "/landlord", sees: ["Bâtiment Quai", "62 logements", "Bâtiment Jardin"], never: ["Balard"] },
  { email: "staff@hearth.test", path: "/admin", sees: ["Fleet", "162", "Centre aquatique de Mérignac"], never: [] },
];

for (const account of accounts) {
  test(`${account.email} signs in and sees its own data`, async ({ page }) => {
    // A script blocked by the content security policy shows up as a console error.
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await signInAndLand(page, account.email, account.path);
    const main = page.getByRole("main");
    for (const text of account.sees) await expect(main).toContainText(text);
    for (const text of account.never) await expect(main).not.toContainText(text);
    expect(consoleErrors).toEqual([]);
  });
}

test("a wrong password gets one clear message and no session", async ({ page }) => {
  await signIn(page, "staff@hearth.test", "not-the-password");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("E-mail or password is incorrect.");
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?next=%2Fadmin/);
});

test("an unknown e-mail gets the same message", async ({ page }) => {
  await signIn(page, "nobody@hearth.test", "whatever");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("E-mail or password is incorrect.");
});

test("a resident cannot open the operator console, and is told why they are home instead", async ({ page }) => {
  await signInAndLand(page, "resident@hearth.test", "/home");
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/home\?elsewhere=staff$/);
  await expect(page.getByTestId("elsewhere-notice")).toHaveText("Cette page est réservée à l’équipe de l’opérateur ; voici la vôtre.");
  await page.goto("/landlord");
  await expect(page).toHaveURL(/\/home\?elsewhere=landlord$/);
  await expect(page.getByTestId("elsewhere-notice")).toHaveText("Cette page est réservée aux bailleurs ; voici la vôtre.");
});

test("a signed-out visitor is sent to sign in, then back to the page asked for", async ({ page }) => {
  await page.goto("/landlord");
  await expect(page).toHaveURL(/\/signin\?next=%2Flandlord/);
  await page.getByLabel("E-mail").fill("landlord@hearth.test");
  await page.getByLabel("Password").fill("hearth-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/landlord$/);
});

test("a landlord opens its building but not another landlord's", async ({ page, browser }) => {
  await signInAndLand(page, "landlord2@hearth.test", "/landlord");
  await page.getByRole("link", { name: "Bâtiment Quai" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bâtiment Quai");
  await expect(page.getByRole("main")).toContainText("Q-305");
  const otherBuildingUrl = page.url();

  const other = await browser.newPage();
  await signInAndLand(other, "landlord@hearth.test", "/landlord");
  await other.goto(otherBuildingUrl);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await other.close();
});

test("signing out ends the session, even for a copy of its cookie, and only that session", async ({ page, browser }) => {
  await signInAndLand(page, "customer2@hearth.test", "/compute");
  const otherDevice = await browser.newPage();
  await signInAndLand(otherDevice, "customer2@hearth.test", "/compute");
  const kept = await page.context().cookies();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/compute");
  await expect(page).toHaveURL(/\/signin\?next=%2Fcompute/);

  // The cookie someone copied before the sign-out is refused too.
  const thief = await browser.newContext();
  await thief.addCookies(kept);
  const stolen = await thief.newPage();
  await stolen.goto("/compute");
  await expect(stolen).toHaveURL(/\/signin\?next=%2Fcompute/);
  await thief.close();

  // The same user's other device stays signed in.
  await otherDevice.goto("/compute");
  await expect(otherDevice).toHaveURL(/\/compute$/);
  await expect(otherDevice.getByRole("main")).toContainText("Carmin Risk Analytics");
  await otherDevice.close();
});

test("pages carry security headers", async ({ request }) => {
  const response = await request.get("/signin");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});

test("a browser asking for /favicon.ico gets the app's icon, not a 404", async ({ request }) => {
  const response = await request.get("/favicon.ico");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("image/svg+xml");
});

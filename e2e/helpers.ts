import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "hearth-demo";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAndLand(page: Page, email: string, path: string) {
  await signIn(page, email);
  await expect(page).toHaveURL(new RegExp(`${path}$`));
}

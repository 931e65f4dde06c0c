import { expect, test } from "@playwright/test";
import { E2E_IBAN } from "../server/test/keys";
import { expectAxeClean, signInAndLand } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });

// resident2@ is not enrolled in the demo; this is the only spec that enrols them.
const BAD_IBAN = "FR76 3000 6000 0112 3456 7890 188";
/** Typed in groups of four, as on a bank statement. */
const GOOD_IBAN = E2E_IBAN.replace(/(.{4})/g, "$1 ").trim();

test("a resident on a phone enrols for the refund: a bad IBAN is refused beside its field, then a valid one is shown masked", async ({ page }) => {
  await signInAndLand(page, "resident2@hearth.test", "/home");
  await expect(page.getByText(/Votre logement n’est pas encore inscrit/)).toBeVisible();
  await page.getByRole("link", { name: "M’inscrire au remboursement" }).click();
  await expect(page).toHaveURL(/\/home\/enrolment$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Remboursement de l’électricité");
  await expect(page.getByRole("heading", { level: 2, name: "Logement pas encore inscrit" })).toBeVisible();

  // A wrong check digit: refused beside the IBAN field, in the summary that takes focus, with everything typed kept.
  await page.getByLabel("Nom du titulaire du contrat d’électricité").fill("Mathieu Lefèvre");
  await page.getByLabel("Numéro de point de livraison (PDL ou PRM)").fill("0912 3456 7890 12");
  await page.getByLabel("IBAN du compte à créditer").fill(BAD_IBAN);
  await page.getByLabel("BIC (facultatif)").fill("COBADEFF");
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "M’inscrire", exact: true }).click();

  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("heading")).toHaveText("Il y a un problème");
  const ibanProblem = summary.getByRole("link", { name: /Cet IBAN n’est pas valide/ });
  await expect(ibanProblem).toHaveAttribute("href", "#enrolment-iban");
  await expect(summary.getByRole("link")).toHaveCount(1);
  const iban = page.getByLabel("IBAN du compte à créditer");
  await expect(iban).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#enrolment-iban-error")).toHaveText(/Cet IBAN n’est pas valide/);
  await expect(iban).toHaveValue(BAD_IBAN);
  await expect(page.getByLabel("Nom du titulaire du contrat d’électricité")).toHaveValue("Mathieu Lefèvre");
  await expect(page.getByLabel("Numéro de point de livraison (PDL ou PRM)")).toHaveValue("0912 3456 7890 12");
  await expect(page.getByLabel("BIC (facultatif)")).toHaveValue("COBADEFF");
  await expect(page.getByRole("checkbox")).toBeChecked();
  await ibanProblem.click();
  await expect(iban).toBeFocused();
  await expectAxeClean(page);

  // A valid IBAN: enrolled from this month, the IBAN shown masked and never put back in the field.
  await iban.fill(GOOD_IBAN);
  await page.getByRole("button", { name: "M’inscrire", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Enregistré" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /^Logement inscrit depuis / })).toBeVisible();
  await expect(page.getByTestId("current-iban")).toHaveText("DE89 •••• •••• •••• 3000");
  await expect(summary).toBeHidden();
  await expect(iban).toHaveValue("");
  await expect(page.getByRole("button", { name: "Enregistrer mes nouvelles coordonnées" })).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("current-iban")).toHaveText("DE89 •••• •••• •••• 3000");
  await expect(page.getByLabel("IBAN du compte à créditer")).toHaveValue("");
  await expect(page.getByRole("heading", { level: 2, name: "Historique de mes coordonnées" })).toBeVisible();
  const html = (await page.content()).replace(/\s/g, "");
  expect(html).not.toContain(E2E_IBAN);
  // Nothing wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAxeClean(page);

  await page.getByRole("link", { name: "Mon logement" }).first().click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByText(/Logement inscrit depuis .* : remboursements versés sur DE89 •••• •••• •••• 3000\./)).toBeVisible();
});

import path from "node:path";
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { formatStatementMonth } from "../server/domain/refund-statements";
import { expectAxeClean, signInAndLand, watchConsole } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });

/** The month before this one in the demo's zone, "YYYY-MM": the engine has closed it. */
function lastMonth(): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit" }).formatToParts(new Date());
  const year = Number(parts.find((p) => p.type === "year")!.value);
  const month = Number(parts.find((p) => p.type === "month")!.value);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

/** Every kind of space as a plain one: the page and the PDF may not use the same no-break spaces. */
const plain = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, " ").trim();

/** A PDF's text as pdf.js reads it (what a screen reader or a search gets). */
async function pdfTextOf(file: string): Promise<string> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const standardFontDataUrl = `${path.resolve("node_modules/pdfjs-dist/standard_fonts")}/`;
  const document = await getDocument({ data: new Uint8Array(await readFile(file)), standardFontDataUrl, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await document.destroy();
  return plain(pages.join(" "));
}

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("a resident on a phone opens last month's statement and downloads it as a PDF with the same amount", async ({ page }) => {
  const errors = watchConsole(page);
  const month = lastMonth();
  await signInAndLand(page, "resident@hearth.test", "/home");
  await page.getByRole("link", { name: "Remboursements" }).click();
  await expect(page).toHaveURL(/\/home\/refunds$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Remboursement de l’électricité");
  await expect(page.getByText(/Inscrit au remboursement depuis/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Année par année" })).toBeVisible();
  await noSidewaysScroll(page);
  await expectAxeClean(page);

  const monthName = formatStatementMonth(month, "fr");
  await page.getByRole("link", { name: `Relevé de ${monthName}` }).click();
  await expect(page).toHaveURL(new RegExp(`/home/refunds/${month}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Relevé de ${monthName}`);
  const amount = plain((await page.getByTestId("statement-amount").textContent()) ?? "");
  expect(amount).toMatch(/^\d[\d ]*,\d{2} €$/);
  await expect(page.getByText("FR76 •••• •••• •••• 0189")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Tarifs appliqués" })).toBeVisible();
  await noSidewaysScroll(page);
  await expectAxeClean(page);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Télécharger le relevé (PDF)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`releve-remboursement-${month}.pdf`);
  const text = await pdfTextOf((await file.path())!);
  expect(text).toContain(amount);
  expect(text).toContain("FR76 •••• •••• •••• 0189");
  expect(text.replace(/ /g, "")).not.toContain("FR7630006000011234567890189");
  expect(text).toContain("Relevé de remboursement d’électricité");

  // In English, the same statement speaks English, and so does its PDF.
  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Statement for ${formatStatementMonth(month, "en")}`);
  const amountInEnglish = plain((await page.getByTestId("statement-amount").textContent()) ?? "");
  expect(amountInEnglish).toMatch(/^€[\d,]+\.\d{2}$/);
  expect(amountInEnglish.replace(/[€,]/g, "")).toBe(amount.replace(/[ €]/g, "").replace(",", "."));
  const englishDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the statement (PDF)" }).click();
  const englishFile = await englishDownload;
  expect(englishFile.suggestedFilename()).toBe(`refund-statement-${month}.pdf`);
  expect(await pdfTextOf((await englishFile.path())!)).toContain(amountInEnglish);
  expect(errors).toEqual([]);
});

test("a month of no statement, and another home's statement, are not found", async ({ page, request }) => {
  const month = lastMonth();
  // Without a session there is nothing to download.
  expect((await request.get(`/home/refunds/${month}/statement.pdf`)).status()).toBe(404);

  // resident2's flat has no statement: resident@hearth.test's month is not theirs to see.
  await signInAndLand(page, "resident2@hearth.test", "/home");
  expect((await page.request.get(`/home/refunds/${month}/statement.pdf`)).status()).toBe(404);
  expect((await page.request.get(`/home/refunds/1999-01/statement.pdf`)).status()).toBe(404);
  expect((await page.request.get(`/home/refunds/not-a-month/statement.pdf`)).status()).toBe(404);
  const response = await page.goto(`/home/refunds/${month}`);
  expect(response?.status()).toBe(404);
  await page.goto("/home/refunds");
  // Not enrolled, or enrolled just now by the enrolment spec running beside this one: no statement either way.
  await expect(page.getByText(/(Votre logement n’est pas encore inscrit au remboursement\.|Aucun relevé pour l’instant)/).first()).toBeVisible();
  await expect(page.getByRole("link", { name: /^Relevé de / })).toHaveCount(0);
  await expectAxeClean(page);
});

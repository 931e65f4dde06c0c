import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAxeClean, signInAndLand, watchConsole } from "./helpers";

// A resident on a phone, in French (the default). The tests change the same flat's heating, one
// room each, one after another.
test.use({ viewport: { width: 390, height: 844 } });
// Waiting for a radiator's confirmation takes up to a minute: more than the default 30 s per test.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const RESIDENT = "resident@hearth.test";
/** The simulator reports every simulated minute (a second at 60×); a confirmation takes a pull and a report. */
const APPLIED_WITHIN_MS = 60_000;

/** A room's card on the home page (a region named by its heading). */
const roomCard = (page: Page, room: string) => page.getByRole("region", { name: room, exact: true });
/** A temperature as the French pages write it. */
const frTemp = (valueC: number) => new RegExp(`^${valueC.toFixed(1).replace(".", ",")}\\s°C$`);
const saved = (page: Page, procedure: string) => page.waitForResponse((r) => r.url().includes(`heating.${procedure}`) && r.ok());
/** The temperature a mode's radio offers ("Confort · 20,0 °C en continu"). */
async function modeTempOf(radio: Locator) {
  const label = await radio.evaluate((el) => el.closest("label")?.textContent ?? "");
  return Number(/(\d+,\d)\s°C/.exec(label)![1]!.replace(",", "."));
}
/** A mode's radio checked, and the change saved (sent after a short pause). */
async function chooseMode(page: Page, radio: Locator) {
  if (await radio.isChecked()) return;
  const modeSaved = saved(page, "setMode");
  await radio.check();
  await modeSaved;
}

test("a resident picks comfort, then two taps on + raise the room by 1 °C at once, sent as one change the radiator applies", async ({ page }) => {
  const errors = watchConsole(page);
  await signInAndLand(page, RESIDENT, "/home");
  const room = roomCard(page, "Séjour");
  const target = room.getByTestId("target");
  const status = room.getByTestId("apply-status");

  // Comfort: a target that does not depend on the time (the simulator's clock runs ahead of the
  // platform's at 60×, so a programme's override may already be over on the radiators' clock).
  const comfort = room.getByRole("radio", { name: /^Confort/ });
  await chooseMode(page, comfort);
  await expect(comfort).toBeChecked();
  const before = await modeTempOf(comfort);
  await expect(target).toHaveText(frTemp(before));

  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("heating.setTarget")) requests.push(r.url());
  });
  const plus = room.getByRole("button", { name: "Monter la consigne de Séjour" });
  const sent = saved(page, "setTarget");
  await plus.click();
  await plus.click();
  // Shown at once, before the server has it; the change is on its way, not applied.
  await expect(target).toHaveText(frTemp(before + 1));
  await expect(status).not.toHaveText(/Appliqué/);
  await sent;
  expect(requests).toHaveLength(1);

  // The radiator confirms the new target with its next report; the page reads it without reloading.
  await expect(status).toHaveText(/^Appliqué à \d{2}:\d{2}$/, { timeout: APPLIED_WITHIN_MS });
  await expect(target).toHaveText(frTemp(before + 1));
  await page.reload();
  await expect(roomCard(page, "Séjour").getByTestId("target")).toHaveText(frTemp(before + 1));
  await expect(roomCard(page, "Séjour").getByRole("radio", { name: /^Confort/ })).toBeChecked();
  await expectAxeClean(page);
  expect(errors).toEqual([]);
});

test("the target stops at 28 °C: + is disabled there, − is not", async ({ page }) => {
  await signInAndLand(page, RESIDENT, "/home");
  const room = roomCard(page, "Chambre 2");
  const plus = room.getByRole("button", { name: "Monter la consigne de Chambre 2" });
  const minus = room.getByRole("button", { name: "Baisser la consigne de Chambre 2" });
  const sent = saved(page, "setTarget");
  // At most 42 steps of 0.5 °C from 7 °C; the taps go as one change.
  let taps = 0;
  while (taps < 50 && (await plus.isEnabled())) {
    await plus.click();
    taps++;
  }
  await expect(room.getByTestId("target")).toHaveText(frTemp(28));
  await expect(plus).toBeDisabled();
  await expect(minus).toBeEnabled();
  if (taps > 0) await sent;
  await expect(room.getByTestId("apply-status")).not.toHaveText("Envoi…");
  await page.reload();
  await expect(roomCard(page, "Chambre 2").getByTestId("target")).toHaveText(frTemp(28));
  await expect(roomCard(page, "Chambre 2").getByRole("button", { name: "Monter la consigne de Chambre 2" })).toBeDisabled();
});

test("a resident boosts a room for an hour, then stops the boost and its mode returns", async ({ page }) => {
  const errors = watchConsole(page);
  await signInAndLand(page, RESIDENT, "/home");
  const room = roomCard(page, "Chambre 1");
  const eco = room.getByRole("radio", { name: /^Éco/ });
  await chooseMode(page, eco);
  const ecoC = await modeTempOf(eco);
  await expect(room.getByTestId("target")).toHaveText(frTemp(ecoC));

  await room.getByRole("button", { name: "Boost de 1 h dans Chambre 1" }).click();
  await expect(room.getByText(/^Boost jusqu’à \d{2}:\d{2}$/)).toBeVisible();
  await expect(room.getByTestId("target")).toHaveText(frTemp(28));
  // The mode chosen before the boost stays chosen, and returns when it stops.
  await expect(eco).toBeChecked();
  await page.reload();
  const again = roomCard(page, "Chambre 1");
  await expect(again.getByText(/^Boost jusqu’à/)).toBeVisible();
  await again.getByRole("button", { name: "Arrêter le boost" }).click();
  await expect(again.getByText(/^Boost jusqu’à/)).toBeHidden();
  await expect(again.getByRole("radio", { name: /^Éco/ })).toBeChecked();
  await expect(again.getByTestId("target")).toHaveText(frTemp(ecoC));
  await expectAxeClean(page);
  expect(errors).toEqual([]);
});

test("a resident copies a day of a room's programme, applies a ready-made one, and sees refusals beside their fields", async ({ page }) => {
  const errors = watchConsole(page);
  await signInAndLand(page, RESIDENT, "/home");
  await page.getByRole("link", { name: "Programme de la semaine de Chambre 1" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Programme : Chambre 1");
  await expect(page.getByRole("tab", { name: "Lundi" })).toHaveAttribute("aria-selected", "true");
  await expectAxeClean(page);

  // Monday (the demo's "out at work": 06:30–08:30 and 17:30–22:30) onto the weekend.
  await expect(page.getByRole("group", { name: "Créneau 06:30 – 08:30" })).toBeVisible();
  await page.getByRole("checkbox", { name: "Samedi" }).check();
  await page.getByRole("checkbox", { name: "Dimanche" }).check();
  await page.getByRole("button", { name: "Copier", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Programme du lundi copié vers 2 jours" })).toBeVisible();
  await page.getByRole("tab", { name: "Samedi" }).click();
  await expect(page.getByRole("heading", { name: "Créneaux du samedi" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Créneau 06:30 – 08:30" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Créneau 17:30 – 22:30" })).toBeVisible();
  let programmeSaved = saved(page, "setProgramme");
  await page.getByRole("button", { name: "Enregistrer le programme" }).click();
  await programmeSaved;
  await expect(page.getByText("Programme enregistré.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Derniers changements" })).toContainText("Programme de la semaine modifié");

  // The tabs work by keyboard: from Saturday, → goes to Sunday, which now has Monday's blocks.
  await page.getByRole("tab", { name: "Samedi" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Dimanche" })).toBeFocused();
  await expect(page.getByRole("group", { name: "Créneau 17:30 – 22:30" })).toBeVisible();

  // A ready-made programme, then a block that ends before it starts: refused beside its field.
  await page.getByLabel("Programme prêt", { exact: true }).selectOption({ label: "Présent toute la journée" });
  await page.getByRole("button", { name: "Utiliser ce programme" }).click();
  await page.getByRole("tab", { name: "Mardi" }).click();
  const day = page.getByRole("group", { name: "Créneau 07:00 – 22:30" });
  await expect(day).toBeVisible();
  await page.getByRole("button", { name: "Ajouter un créneau" }).click();
  await page.getByRole("group", { name: "Créneau 22:30 – 24:00" }).getByLabel("Fin").selectOption("22:00");
  // The block is named by its times: now the wrong way round.
  const added = page.getByRole("group", { name: "Créneau 22:30 – 22:00" });
  await page.getByRole("button", { name: "Enregistrer le programme" }).click();
  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("La fin doit venir après le début.");
  await expect(added.getByLabel("Fin")).toHaveAccessibleDescription("La fin doit venir après le début.");
  await expectAxeClean(page);

  await added.getByRole("button", { name: /^Supprimer le créneau/ }).click();
  programmeSaved = saved(page, "setProgramme");
  await page.getByRole("button", { name: "Enregistrer le programme" }).click();
  await programmeSaved;
  await expect(page.getByText("Programme enregistré.")).toBeVisible();
  await page.reload();
  await page.getByRole("tab", { name: "Samedi" }).click();
  await expect(page.getByRole("group", { name: "Créneau 07:00 – 22:30" })).toBeVisible();
  // Nothing wider than the phone's screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
});

test("another flat's room is not found", async ({ page, browser }) => {
  await signInAndLand(page, RESIDENT, "/home");
  await page.getByRole("link", { name: "Programme de la semaine de Séjour" }).click();
  await expect(page).toHaveURL(/\/home\/rooms\/[0-9a-f-]{36}$/);
  const url = page.url();

  const other = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const neighbour = await other.newPage();
  await signInAndLand(neighbour, "resident2@hearth.test", "/home");
  await neighbour.goto(url);
  await expect(neighbour.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await other.close();
});

import { expect, test } from "@playwright/test";
import { cancelTaskUntilNotified, signInAndLand, submitContainerTask, unique, watchConsole } from "./helpers";

/**
 * A compute customer in New York reads every time of the portal in New York's zone, labelled with
 * it, the times the server writes and the live ones the browser writes alike.
 */
test.use({ timezoneId: "America/New_York" });

// en-GB names New York's zone by its offset ("GMT-5", "GMT-4" in summer); other ICU data say EST/EDT.
const LABEL = "(GMT-[45]|E[SD]T)";
const DATE_TIME = new RegExp(`\\d{1,2} [A-Z][a-z]{2} \\d{4}, \\d{2}:\\d{2} ${LABEL}`);
const newYork = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "America/New_York",
  timeZoneName: "short",
});
/** The minutes around now as New York writes them, as an alternation ("a|b|c"). */
const aroundNow = () => [-60_000, 0, 60_000].map((d) => newYork.format(new Date(Date.now() + d))).join("|");

test("a customer in New York reads the portal's times in New York's zone, the live ones too", async ({ page }) => {
  test.setTimeout(150_000);
  const errors = watchConsole(page);
  await signInAndLand(page, "customer@hearth.test", "/compute");
  // The browser tells the server its zone once.
  await expect.poll(async () => (await page.context().cookies()).find((c) => c.name === "hearth-tz")?.value).toBe("America/New_York");

  // A container task waits on this fleet (no radiator offers a runtime), so its page stays live.
  const name = `Zone ${unique()}`;
  const near = aroundNow();
  await submitContainerTask(page, name, 2);

  // Written by the server: when it was submitted, in New York's time.
  const main = page.getByRole("main");
  await expect(main).toContainText(new RegExp(`submitted (${near})`));
  const serverLabel = new RegExp(`submitted (?:${near})`).exec(await main.innerText())![0].split(" ").pop();

  // Written by the browser: when the page last refreshed, in the same zone, with the same label.
  const live = page.getByText(new RegExp(`Live · updated \\d{2}:\\d{2}:\\d{2} ${LABEL}`));
  await expect(live).toBeVisible({ timeout: 20_000 });
  const liveLabel = /updated \S+ (\S+)/.exec(await live.innerText())![1];
  expect(liveLabel).toBe(serverLabel);
  const nowInNewYork = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", timeZone: "America/New_York" });
  const liveHour = /updated (\d{2}):/.exec(await live.innerText())![1];
  expect([nowInNewYork.format(new Date(Date.now() - 60_000)), nowInNewYork.format(new Date())]).toContain(liveHour);

  // Nothing on the page is left in the operator's zone.
  await expect(main).not.toContainText(/\bCES?T\b|GMT\+[12]\b/);

  // The queue and, once the task is cancelled, its notification: New York's time as well.
  await page.getByRole("link", { name: "Tasks", exact: true }).click();
  await expect(page.getByRole("table", { name: "Tasks" }).getByRole("row").filter({ hasText: name })).toContainText(DATE_TIME);
  await page.getByRole("table", { name: "Tasks" }).getByRole("link", { name }).click();
  const title = await cancelTaskUntilNotified(page, name);
  await expect(page.getByRole("listitem").filter({ hasText: title })).toContainText(DATE_TIME);
  expect(errors).toEqual([]);
});

test("a zone cookie that names no zone shows the operator's zone, not an error", async ({ page, baseURL }) => {
  await signInAndLand(page, "customer@hearth.test", "/compute");
  for (const forged of ["Mars/Olympus_Mons", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "a".repeat(3000)]) {
    await page.context().addCookies([{ name: "hearth-tz", value: forged, url: baseURL! }]);
    const response = await page.request.get("/compute/tasks");
    expect(response.status()).toBe(200);
    expect(await response.text()).not.toContain(forged);
  }
});

/**
 * How the pages write instants and counts. Pages are rendered on the server as well as in the
 * browser, so neither may pick the zone of the machine it runs on: every time is written in one
 * zone, the operator's, and labelled with it ("16:17 CET"), whether the server or the browser
 * writes it.
 */
export const VIEW_TIME_ZONE = "Europe/Paris";

const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: VIEW_TIME_ZONE,
  timeZoneName: "short",
});
const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: VIEW_TIME_ZONE, timeZoneName: "short" });
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: VIEW_TIME_ZONE });
const calendarDay = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** "4 Dec 2026, 16:17 CET". */
export const formatViewDateTime = (at: Date) => dateTime.format(at);
/** "16:17:55 CET": a time of today, to the second (when a page was last updated). */
export const formatViewTime = (at: Date) => clock.format(at);
/** "4 Dec 2026": the day an instant falls on in the view's zone. */
export const formatViewDate = (at: Date) => day.format(at);

/** A calendar day stored as "2023-05-04" (no zone: it is the same day everywhere), as "4 May 2023". */
export function formatCalendarDay(isoDay: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) return isoDay;
  return calendarDay.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** "1 building", "2 buildings", "1,200 radiators": a count with its noun agreeing. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? singular : plural}`;
}

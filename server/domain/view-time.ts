/**
 * How the pages write instants and counts. Pages are rendered on the server as well as in the
 * browser, so neither may pick the zone of the machine it runs on: every time is written in one
 * named zone, labelled with it ("16:17 CET"), whether the server or the browser writes it. That
 * zone is the operator's unless a page passes another (the compute portal passes its viewer's,
 * see viewer-zone.ts).
 */
export const VIEW_TIME_ZONE = "Europe/Paris";

const DATE_TIME: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
const CLOCK: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" };
const DAY: Intl.DateTimeFormatOptions = { dateStyle: "medium" };

// Building a formatter is slow next to using one, and a page writes many times in few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: string, options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = new Intl.DateTimeFormat("en-GB", { ...options, timeZone })));
  return made;
}
const calendarDay = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** "4 Dec 2026, 16:17 CET". `timeZone` must be a valid IANA name (see viewer-zone.ts). */
export const formatViewDateTime = (at: Date, timeZone = VIEW_TIME_ZONE) => formatter("dateTime", DATE_TIME, timeZone).format(at);
/** "16:17:55 CET": a time of today, to the second (when a page was last updated). */
export const formatViewTime = (at: Date, timeZone = VIEW_TIME_ZONE) => formatter("clock", CLOCK, timeZone).format(at);
/** "4 Dec 2026": the day an instant falls on in the zone. */
export const formatViewDate = (at: Date, timeZone = VIEW_TIME_ZONE) => formatter("day", DAY, timeZone).format(at);

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

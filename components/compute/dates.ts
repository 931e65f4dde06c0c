import { VIEW_TIME_ZONE } from "@/server/domain/view-time";

/** Midnight at the start of a calendar day ("2026-03-01") in `timeZone`, as an instant; null if malformed. */
export function startOfDayIn(day: string, timeZone = VIEW_TIME_ZONE): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== day) return null;
  // The zone's offset near that instant, e.g. "GMT+01:00"; applied twice to settle across a DST change.
  let guess = utcMidnight;
  for (let i = 0; i < 2; i++) guess = utcMidnight - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(at: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? "");
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

/** The last instant of a calendar day in `timeZone` (the whole day counts in a "until" filter). */
export function endOfDayIn(day: string, timeZone = VIEW_TIME_ZONE): Date | null {
  const start = startOfDayIn(day, timeZone);
  if (!start) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)!;
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10);
  return new Date(startOfDayIn(next, timeZone)!.getTime() - 1);
}

import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import { parseOutdoorCsv, type OutdoorCsvProblem } from "@/server/domain/outdoor-csv";
import { isUuid } from "@/server/domain/text";
import { InvalidInputError, NotFoundError } from "./errors";

export type OutdoorImport = {
  /** Hours written: new ones, and ones a previous import had (replaced). */
  inserted: number;
  updated: number;
  /** Lines without a temperature (the station did not observe that hour): nothing written for them. */
  refused: OutdoorCsvProblem[];
  station: string | null;
};

/**
 * Imports a file of hourly observations (see server/domain/outdoor-csv.ts) as the site's outdoor
 * temperatures, replacing hours imported before. A file with any line that cannot be read is
 * refused whole, naming its first bad line (and every bad line in the error's fields): nothing is
 * written. `source` defaults to the station, as "meteo-france:<NUM_POSTE>".
 */
export async function importOutdoorTemperatures(db: Tx, siteId: string, csvText: string, opts: { source?: string } = {}): Promise<OutdoorImport> {
  if (!isUuid(siteId)) throw new NotFoundError("Site");
  const parsed = parseOutdoorCsv(csvText);
  if (parsed.errors.length > 0) {
    const fields = Object.fromEntries(parsed.errors.slice(0, 50).map((e) => [`csv.line.${e.line}`, `Line ${e.line}: ${e.message}.`]));
    const first = parsed.errors[0]!;
    const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more bad line${parsed.errors.length > 2 ? "s" : ""})` : "";
    throw new InvalidInputError(`Line ${first.line}: ${first.message}${more}. Nothing was imported.`, "csv", { csv: `Line ${first.line}: ${first.message}${more}.`, ...fields });
  }
  const source = opts.source ?? `meteo-france:${parsed.station ?? "unknown"}`;
  const rows = parsed.observations;
  const hoursIso = rows.map((o) => new Date(o.hourStartMs).toISOString());
  const [row] = await db.transaction(async (tx) => {
    const written = await tx.execute<{ found: boolean; inserted: number; updated: number }>(sql`
      with site as (select id from sites where id = ${siteId}),
      written as (
        insert into outdoor_temperatures (site_id, hour_start, temp_c, source)
        select site.id, o.hour_start, o.temp_c, ${source}
        from site, unnest(${pgArray(hoursIso)}::timestamptz[], ${pgArray(rows.map((o) => o.tempC))}::real[]) as o(hour_start, temp_c)
        on conflict (site_id, hour_start) do update set temp_c = excluded.temp_c, source = excluded.source
        returning (xmax = 0) as inserted
      )
      select exists (select 1 from site) as found,
        (select count(*) filter (where inserted) from written)::int as inserted,
        (select count(*) filter (where not inserted) from written)::int as updated`);
    if (rows.length > 0 && written[0]?.found) {
      // The local days the file touched, summed again from all their hours.
      const firstIso = hoursIso.reduce((a, b) => (a < b ? a : b));
      const lastIso = hoursIso.reduce((a, b) => (a > b ? a : b));
      await tx.execute(sql`
        insert into outdoor_daily (site_id, day, temp_sum_c, hours)
        select o.site_id, (o.hour_start at time zone s.time_zone)::date, sum(o.temp_c), count(*)
        from outdoor_temperatures o join sites s on s.id = o.site_id
        where o.site_id = ${siteId}
          and o.hour_start >= date_trunc('day', ${firstIso}::timestamptz, s.time_zone)
          and o.hour_start < (date_trunc('day', ${lastIso}::timestamptz at time zone s.time_zone) + interval '1 day') at time zone s.time_zone
        group by 1, 2
        on conflict (site_id, day) do update set temp_sum_c = excluded.temp_sum_c, hours = excluded.hours`);
    }
    return written;
  });
  if (!row?.found) throw new NotFoundError("Site");
  return { inserted: row.inserted, updated: row.updated, refused: parsed.missing, station: parsed.station };
}

import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import { countryOfPerimeter, parseGridIntensityCsv, type GridCsvProblem, type GridCsvShape } from "@/server/domain/grid-intensity-csv";
import { isCalendarDate } from "@/server/domain/refunds";
import { InvalidInputError } from "./errors";

/**
 * The grid's carbon intensity by country, for the operator's staff: annual versions (appended,
 * never changed) and hourly series loaded from grid operators' files. The carbon methodology
 * (server/domain/carbon.ts) reads the hour the work ran and falls back to the annual version.
 * The file's reading is server/domain/grid-intensity-csv.ts.
 */

const COUNTRY = /^[A-Z]{2}$/;
/** Bad lines named one by one in a refusal's fields; the message counts the rest. */
const LISTED_BAD_LINES = 50;

function checkCountry(country: string) {
  if (!COUNTRY.test(country)) throw new InvalidInputError("A country is its ISO 3166 code, two capital letters (FR).", "country");
}

/** Every annual version, by country and newest date first, with who added it and whether it is the one in force today. */
export async function listGridIntensityVersions(db: Db, opts: { todayUtc?: string } = {}) {
  const today = opts.todayUtc ?? new Date().toISOString().slice(0, 10);
  const rows = await db.execute<{
    id: string;
    country: string;
    effectiveFrom: string;
    intensityMgPerKWh: number;
    source: string;
    createdAt: string;
    createdBy: string | null;
    inForce: boolean;
  }>(sql`
    with in_force as (
      select distinct on (country) id from grid_intensity_versions
      where effective_from <= ${today}::date
      order by country, effective_from desc, id desc
    )
    select v.id, v.country, v.effective_from::text as "effectiveFrom", v.intensity_mg_per_kwh as "intensityMgPerKWh", v.source,
      v.created_at as "createdAt", u.name as "createdBy", v.id in (select id from in_force) as "inForce"
    from grid_intensity_versions v left join users u on u.id = v.created_by_user_id
    order by v.country, v.effective_from desc, v.id desc`);
  return rows.map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt) }));
}

/** A new annual version of a country's intensity. Versions are never changed: a correction is a new version (on the same date, the latest wins). */
export async function addGridIntensityVersion(
  db: Db,
  input: { country: string; effectiveFrom: string; intensityMgPerKWh: number; source: string; userId: string | null },
) {
  checkCountry(input.country);
  if (!isCalendarDate(input.effectiveFrom)) throw new InvalidInputError("The date is a day, YYYY-MM-DD.", "effectiveFrom");
  if (!Number.isSafeInteger(input.intensityMgPerKWh) || input.intensityMgPerKWh < 0) {
    throw new InvalidInputError("The intensity is a whole number of mg per kWh, zero or more.", "intensityMgPerKWh");
  }
  const [row] = await db.execute<{ id: string }>(sql`
    insert into grid_intensity_versions (country, effective_from, intensity_mg_per_kwh, source, created_by_user_id)
    values (${input.country}, ${input.effectiveFrom}::date, ${input.intensityMgPerKWh}, ${input.source}, ${input.userId})
    returning id`);
  return { id: Number(row!.id) };
}

export type GridIntensityImportResult = {
  importId: number;
  shape: GridCsvShape;
  /** Hours loaded; `replaced` of them had a value from an earlier import. */
  hours: number;
  replaced: number;
  firstHourStart: Date;
  lastHourStart: Date;
  /** Lines without a value (RTE's unpublished quarter-hours): nothing loaded for them. */
  skippedLines: number;
  skipped: GridCsvProblem[];
};

/**
 * Loads a file of hourly intensities (either shape of server/domain/grid-intensity-csv.ts) for a
 * country: in one transaction, an import record and its hours, each replacing an earlier import's
 * value of the same hour and naming this import. A file with any bad line is refused whole,
 * naming its lines (the first in the message, up to 50 in the error's fields): nothing is written.
 */
export async function importGridIntensity(
  db: Db,
  input: { country: string; source: string; fileName: string; csv: string; userId: string | null },
): Promise<GridIntensityImportResult> {
  checkCountry(input.country);
  const parsed = parseGridIntensityCsv(input.csv);
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!;
    const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more bad line${parsed.errors.length > 2 ? "s" : ""})` : "";
    const fields = Object.fromEntries(parsed.errors.slice(0, LISTED_BAD_LINES).map((e) => [`csv.line.${e.line}`, `Line ${e.line}: ${e.message}.`]));
    throw new InvalidInputError(`Line ${first.line}: ${first.message}${more}. Nothing was loaded.`, "csv", {
      csv: `Line ${first.line}: ${first.message}${more}. Nothing was loaded.`,
      ...fields,
    });
  }
  const fileCountry = parsed.perimeter === null ? null : countryOfPerimeter(parsed.perimeter);
  if (fileCountry !== null && fileCountry !== input.country) {
    throw new InvalidInputError(`The file is for ${parsed.perimeter} (${fileCountry}), not ${input.country}. Nothing was loaded.`, "country");
  }
  if (parsed.hours.length === 0) {
    throw new InvalidInputError(`The file holds no hour with an intensity (${parsed.skipped.length} lines without one). Nothing was loaded.`, "csv");
  }
  const hours = parsed.hours;
  const first = new Date(hours[0]!.hourStartMs);
  const last = new Date(hours[hours.length - 1]!.hourStartMs);
  const result = await db.transaction(async (tx) => {
    const [record] = await tx.execute<{ id: string }>(sql`
      insert into grid_intensity_imports (country, source, file_name, hours, first_hour_start, last_hour_start, created_by_user_id)
      values (${input.country}, ${input.source}, ${input.fileName}, ${hours.length}, ${first.toISOString()}::timestamptz,
        ${last.toISOString()}::timestamptz, ${input.userId})
      returning id`);
    const importId = Number(record!.id);
    const [written] = await tx.execute<{ replaced: number }>(sql`
      with written as (
        insert into grid_intensity_hourly (country, hour_start, intensity_mg_per_kwh, import_id)
        select ${input.country}, h.hour_start, h.mg, ${importId}
        from unnest(${pgArray(hours.map((h) => new Date(h.hourStartMs).toISOString()))}::timestamptz[],
          ${pgArray(hours.map((h) => h.intensityMgPerKWh))}::int[]) as h(hour_start, mg)
        on conflict (country, hour_start) do update set intensity_mg_per_kwh = excluded.intensity_mg_per_kwh, import_id = excluded.import_id
        returning not (xmax = 0) as replaced
      )
      select count(*) filter (where replaced)::int as replaced from written`);
    return { importId, replaced: written?.replaced ?? 0 };
  });
  return {
    importId: result.importId,
    shape: parsed.shape!,
    hours: hours.length,
    replaced: result.replaced,
    firstHourStart: first,
    lastHourStart: last,
    skippedLines: parsed.skipped.length,
    skipped: parsed.skipped.slice(0, LISTED_BAD_LINES),
  };
}

/** The imports, newest first, a page at a time, with who loaded them and how many of their hours no later import replaced. */
export async function listGridIntensityImports(db: Db, input: { page: number; pageSize: number }) {
  const [count] = await db.execute<{ total: number }>(sql`select count(*)::int as total from grid_intensity_imports`);
  const rows = await db.execute<{
    id: string;
    country: string;
    source: string;
    fileName: string;
    hours: number;
    firstHourStart: string;
    lastHourStart: string;
    createdAt: string;
    createdBy: string | null;
    hoursInUse: number;
  }>(sql`
    with page as (
      select * from grid_intensity_imports order by created_at desc, id desc
      limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}
    )
    select p.id, p.country, p.source, p.file_name as "fileName", p.hours, p.first_hour_start as "firstHourStart",
      p.last_hour_start as "lastHourStart", p.created_at as "createdAt", u.name as "createdBy",
      (select count(*) from grid_intensity_hourly h where h.country = p.country and h.import_id = p.id
        and h.hour_start between p.first_hour_start and p.last_hour_start)::int as "hoursInUse"
    from page p left join users u on u.id = p.created_by_user_id
    order by p.created_at desc, p.id desc`);
  return {
    total: count?.total ?? 0,
    rows: rows.map((r) => ({
      ...r,
      id: Number(r.id),
      firstHourStart: new Date(r.firstHourStart),
      lastHourStart: new Date(r.lastHourStart),
      createdAt: new Date(r.createdAt),
    })),
  };
}

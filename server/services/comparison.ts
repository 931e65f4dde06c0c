import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { isUuid } from "@/server/domain/text";
import { InvalidInputError, NotFoundError } from "./errors";

/**
 * A resident's home against its building's average for a month (PRODUCT.md R7). The building's
 * figures are averages over at least COMPARISON_MIN_DWELLINGS dwellings, or nothing: no
 * neighbour's own figure ever leaves this module, and none is even read into it.
 *
 * Read from the daily rollups (telemetry_daily, local days of the site), so a month is about 30
 * rows per radiator. A dwelling contributes to a month when its radiators reported readings in
 * it. Its temperature is the mean of its radiators' readings; the building's is the mean of its
 * contributing dwellings', each flat counting once. Energy per m² is metered energy over heated
 * floor area: the building's is its dwellings' energy (plant rooms left out) over the
 * contributing dwellings' area, so a big flat weighs more, as in any kWh/m² figure. A dwelling
 * that did not report has no energy in the month either (energy is metered from the readings'
 * counters). The rollup lags the readings by one round of the engine's loop.
 */

/** Fewer dwellings than this and the building's average would come close to a neighbour's own figure. */
export const COMPARISON_MIN_DWELLINGS = 5;

/** From 1970: nothing was metered before, and every zone's rules are known from there. */
const MONTH = /^(19[7-9]\d|[2-9]\d{3})-(0[1-9]|1[0-2])$/;

export type ComparisonFigures = {
  /** Mean room temperature, to 0.1 °C; null without readings. */
  roomTempC: number | null;
  /** Metered energy per m² of heated floor, whole Wh (1 kWh/m² = 1000); null without readings. */
  energyWhPerM2: number | null;
};

export type BuildingComparison = {
  month: string;
  /** The site's zone, in which the month runs from `from` to `to`. */
  timeZone: string;
  from: Date;
  to: Date;
  contributingDwellings: number;
  minimumDwellings: number;
  /** Null figures with `hiddenReason` when too few dwellings contribute. */
  building: ComparisonFigures & { hiddenReason: "too-few-dwellings" | null };
  home: ComparisonFigures;
};

const roundTempC = (tempC: number | null) => (tempC === null ? null : Math.round(tempC * 10) / 10);
const perM2 = (energyWh: number, areaM2: number) => (areaM2 > 0 ? Math.round(energyWh / areaM2) : null);

/** The resident's dwelling and its building's average for `month` ('YYYY-MM', in the site's zone). */
export async function buildingComparison(db: Tx, opts: { dwellingId: string; month: string }): Promise<BuildingComparison> {
  if (!MONTH.test(opts.month)) throw new InvalidInputError("Give the month as YYYY-MM, for example 2026-01.", "month");
  if (!isUuid(opts.dwellingId)) throw new NotFoundError("Home");
  const firstDay = `${opts.month}-01`;
  const [place] = await db.execute<{ buildingId: string; timeZone: string; fromMs: number; toMs: number }>(sql`
    select b.id as "buildingId", s.time_zone as "timeZone",
      extract(epoch from ${firstDay}::timestamp at time zone s.time_zone)::float8 * 1000 as "fromMs",
      extract(epoch from (${firstDay}::timestamp + interval '1 month') at time zone s.time_zone)::float8 * 1000 as "toMs"
    from dwellings d join buildings b on b.id = d.building_id join sites s on s.id = b.site_id
    where d.id = ${opts.dwellingId}`);
  if (!place) throw new NotFoundError("Home");
  const from = new Date(place.fromMs);
  const to = new Date(place.toMs);

  // Each contributing dwelling's figures from the daily rollups of the month's local days, and
  // their aggregates, in one statement: neighbours' rows never reach us.
  const [row] = await db.execute<{
    dwellings: number;
    buildingTempC: number | null;
    buildingEnergyWh: number;
    buildingAreaM2: number;
    homeTempC: number | null;
    homeEnergyWh: number | null;
    homeAreaM2: number;
  }>(sql`
    with contributing as (
      select ro.dwelling_id, sum(td.room_temp_sum_c) / sum(td.reading_count) as temp_c, sum(td.energy_wh) as energy_wh,
        (select sum(a.area_m2) from rooms a where a.dwelling_id = ro.dwelling_id) as area_m2
      from telemetry_daily td join radiators r on r.id = td.radiator_id join rooms ro on ro.id = r.room_id
      where ro.building_id = ${place.buildingId} and ro.dwelling_id is not null and td.reading_count > 0
        and td.day >= ${firstDay}::date and td.day < (${firstDay}::date + interval '1 month')
      group by ro.dwelling_id
    )
    select count(*)::int as dwellings, avg(temp_c)::float8 as "buildingTempC",
      coalesce(sum(energy_wh), 0)::float8 as "buildingEnergyWh", coalesce(sum(area_m2), 0)::float8 as "buildingAreaM2",
      (select temp_c from contributing where dwelling_id = ${opts.dwellingId})::float8 as "homeTempC",
      (select energy_wh from contributing where dwelling_id = ${opts.dwellingId})::float8 as "homeEnergyWh",
      (select coalesce(sum(area_m2), 0) from rooms where dwelling_id = ${opts.dwellingId})::float8 as "homeAreaM2"
    from contributing`);
  // An aggregate without group by: always one row.
  const figures = row!;
  const enough = figures.dwellings >= COMPARISON_MIN_DWELLINGS;
  return {
    month: opts.month,
    timeZone: place.timeZone,
    from,
    to,
    contributingDwellings: figures.dwellings,
    minimumDwellings: COMPARISON_MIN_DWELLINGS,
    building: enough
      ? {
          roomTempC: roundTempC(figures.buildingTempC),
          energyWhPerM2: perM2(figures.buildingEnergyWh, figures.buildingAreaM2),
          hiddenReason: null,
        }
      : { roomTempC: null, energyWhPerM2: null, hiddenReason: "too-few-dwellings" },
    home: {
      roomTempC: roundTempC(figures.homeTempC),
      energyWhPerM2: figures.homeEnergyWh === null ? null : perM2(figures.homeEnergyWh, figures.homeAreaM2),
    },
  };
}

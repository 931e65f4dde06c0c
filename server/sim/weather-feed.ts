import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { formatOutdoorCsv } from "@/server/domain/outdoor-csv";
import { climateForSite, CLIMATES, outdoorTempC } from "@/server/domain/weather";
import { importOutdoorTemperatures } from "@/server/services/outdoor-temperatures";
import { weatherSeed } from "./world";

const HOUR_MS = 3_600_000;

/**
 * The simulated weather as observations: for every site, the hourly outdoor temperature the
 * world's rooms felt over [fromMs, toMs], written as a Météo-France hourly file and imported
 * through the same path as a real one (importOutdoorTemperatures). Returns the hours imported.
 */
export async function importSimulatedWeather(db: Db, opts: { seed: number; fromMs: number; toMs: number }): Promise<number> {
  const sites = await db.execute<{ id: string; city: string; climateZone: string }>(
    sql`select id, city, climate_zone as "climateZone" from sites order by id`,
  );
  const firstHourMs = Math.ceil(opts.fromMs / HOUR_MS) * HOUR_MS;
  let hours = 0;
  for (const site of sites) {
    const climate = climateForSite({ city: site.city, climateZone: site.climateZone });
    const seed = weatherSeed(opts.seed, climate);
    const observations = [];
    for (let t = firstHourMs; t <= opts.toMs; t += HOUR_MS) observations.push({ hourStartMs: t, tempC: outdoorTempC(climate, t, seed) });
    if (observations.length === 0) continue;
    const station = { number: `SIM-${climate.toUpperCase()}`, name: CLIMATES[climate].station, lat: 0, lon: 0, altitudeM: 0 };
    const imported = await importOutdoorTemperatures(db, site.id, formatOutdoorCsv(station, observations), { source: "simulator" });
    hours += imported.inserted + imported.updated;
  }
  return hours;
}

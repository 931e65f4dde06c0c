import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { climateForSite, outdoorTempC } from "@/server/domain/weather";
import { useTestDb } from "@/server/test/db";
import { importSimulatedWeather } from "./weather-feed";
import { weatherSeed } from "./world";

const db = useTestDb();

afterAll(async () => {
  await db.execute(sql`delete from outdoor_temperatures where source = 'simulator'`);
});

describe("importSimulatedWeather", () => {
  it("imports every site's simulated weather, hour by hour, as the world's rooms feel it", async () => {
    const fromMs = Date.parse("2026-11-01T00:30:00Z");
    const toMs = Date.parse("2026-11-03T00:00:00Z");
    const hours = await importSimulatedWeather(db, { seed: 7, fromMs, toMs });
    const sites = await db.execute<{ id: string; city: string; climateZone: string }>(sql`select id, city, climate_zone as "climateZone" from sites`);
    expect(hours).toBe(sites.length * 48); // 01:00 on the 1st to 00:00 on the 3rd
    const site = sites[0]!;
    const rows = await db.execute<{ hourMs: number; tempC: number; source: string }>(sql`
      select extract(epoch from hour_start) * 1000 as "hourMs", temp_c as "tempC", source
      from outdoor_temperatures where site_id = ${site.id} and source = 'simulator' order by hour_start`);
    expect(rows).toHaveLength(48);
    const climate = climateForSite(site);
    for (const row of rows) {
      expect(row.tempC).toBeCloseTo(outdoorTempC(climate, Number(row.hourMs), weatherSeed(7, climate)), 1);
    }
    // Again over the same hours: replaced, not added.
    expect(await importSimulatedWeather(db, { seed: 7, fromMs, toMs })).toBe(hours);
    const [count] = await db.execute<{ n: number }>(sql`select count(*)::int as n from outdoor_temperatures where source = 'simulator'`);
    expect(count!.n).toBe(hours);
  });
});

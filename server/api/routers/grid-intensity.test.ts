import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { callerAs, useTestDb } from "@/server/test/db";
import { fieldErrorsOf } from "../trpc";

/** The grid-intensity router: staff only, a file with a bad line refused whole, a later import replacing hours. */
const db = useTestDb();
/** A code no real country has, so that nothing here meets the seeded figures or other suites' series. */
const COUNTRY = "ZY";
const SOURCE = "GRIDROUTER";

async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}
const fieldsOf = (error: TRPCError) => (error.cause instanceof ZodError ? fieldErrorsOf(error.cause) : {});

const counts = async () => {
  const [row] = await db.execute<{ imports: number; hours: number; versions: number }>(sql`
    select (select count(*) from grid_intensity_imports where country = ${COUNTRY})::int as imports,
      (select count(*) from grid_intensity_hourly where country = ${COUNTRY})::int as hours,
      (select count(*) from grid_intensity_versions where country = ${COUNTRY})::int as versions`);
  return row!;
};
const hourly = async () =>
  (
    await db.execute<{ hour: string; mg: number; importId: string }>(sql`
      select to_char(hour_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24"Z"') as hour, intensity_mg_per_kwh as mg, import_id as "importId"
      from grid_intensity_hourly where country = ${COUNTRY} order by hour_start`)
  ).map((r) => ({ hour: r.hour, mg: r.mg, importId: Number(r.importId) }));

const cleanup = async () => {
  await db.execute(sql`delete from grid_intensity_hourly where country = ${COUNTRY}`);
  await db.execute(sql`delete from grid_intensity_imports where country = ${COUNTRY}`);
  await db.execute(sql`delete from grid_intensity_versions where country = ${COUNTRY}`);
};
beforeAll(cleanup);
afterAll(cleanup);

const RTE_HEADER = "Nature;Date;Heures;Consommation;Taux de CO2";
const generic = (...lines: string[]) => ["hour_start,intensity_g_per_kwh", ...lines].join("\n") + "\n";
const load = (csv: string, fileName = "series.csv") => ({ country: COUNTRY, source: `${SOURCE} series`, fileName, csv });

describe("gridIntensity router", () => {
  it("refuses every audience but staff, and writes nothing for them", async () => {
    for (const email of ["resident@hearth.test", "landlord@hearth.test", "customer@hearth.test"]) {
      const api = await callerAs(db, email);
      expect((await refusalOf(api.gridIntensity.versions())).code).toBe("FORBIDDEN");
      expect((await refusalOf(api.gridIntensity.imports({}))).code).toBe("FORBIDDEN");
      expect(
        (await refusalOf(api.gridIntensity.addVersion({ country: COUNTRY, effectiveFrom: "2026-01-01", intensityMgPerKWh: 1, source: SOURCE }))).code,
      ).toBe("FORBIDDEN");
      expect((await refusalOf(api.gridIntensity.importHourly(load(generic("2026-01-15T10:00:00Z,50")))))).toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await refusalOf((await callerAs(db, null)).gridIntensity.versions())).code).toBe("UNAUTHORIZED");
    expect(await counts()).toEqual({ imports: 0, hours: 0, versions: 0 });
  });

  it("adds annual versions beside the earlier ones, with who added them, and says which is in force", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const a = await api.gridIntensity.addVersion({ country: COUNTRY, effectiveFrom: "2023-01-01", intensityMgPerKWh: 32_000, source: `${SOURCE} 2023` });
    const b = await api.gridIntensity.addVersion({ country: COUNTRY, effectiveFrom: "2024-01-01", intensityMgPerKWh: 21_700, source: `${SOURCE} 2024` });
    await api.gridIntensity.addVersion({ country: COUNTRY, effectiveFrom: "2999-01-01", intensityMgPerKWh: 10_000, source: `${SOURCE} future` });
    const mine = (await api.gridIntensity.versions()).filter((v) => v.country === COUNTRY);
    expect(mine.map((v) => [v.effectiveFrom, v.intensityMgPerKWh, v.inForce])).toEqual([
      ["2999-01-01", 10_000, false],
      ["2024-01-01", 21_700, true],
      ["2023-01-01", 32_000, false],
    ]);
    expect(mine[1]).toMatchObject({ id: b.id, source: `${SOURCE} 2024`, createdBy: "Claire Moreau" });
    expect(b.id).toBeGreaterThan(a.id);
    // The seed's French figures stay as they were.
    expect(await api.gridIntensity.versions()).toEqual(expect.arrayContaining([expect.objectContaining({ country: "FR", intensityMgPerKWh: 21_700 })]));
  });

  it("refuses a bad version naming its field, and writes nothing", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const before = await counts();
    const good = { country: COUNTRY, effectiveFrom: "2025-01-01", intensityMgPerKWh: 20_000, source: SOURCE };
    for (const [bad, field] of [
      [{ country: "fr" }, "country"],
      [{ effectiveFrom: "2025-02-30" }, "effectiveFrom"],
      [{ intensityMgPerKWh: -1 }, "intensityMgPerKWh"],
      [{ intensityMgPerKWh: 2_000_001 }, "intensityMgPerKWh"],
      [{ intensityMgPerKWh: 21.5 }, "intensityMgPerKWh"],
      [{ source: "  " }, "source"],
    ] as const) {
      const error = await refusalOf(api.gridIntensity.addVersion({ ...good, ...bad }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(Object.keys(fieldsOf(error))).toEqual([field]);
    }
    expect(await counts()).toEqual(before);
  });

  it("loads an RTE file: one value per UTC hour, lines without a value counted, the import listed", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const csv = [
      RTE_HEADER,
      "Données consolidées;2026-01-15;10:00;45000;20",
      "Données consolidées;2026-01-15;10:15;45000;21,5",
      "Données consolidées;2026-01-15;10:30;45000;22",
      "Données consolidées;2026-01-15;10:45;45000;",
      "Données consolidées;2026-01-15;11:00;45000;30",
    ].join("\n");
    const result = await api.gridIntensity.importHourly(load(csv, "eCO2mix_RTE_2026-01-15.csv"));
    expect(result).toMatchObject({
      shape: "rte",
      hours: 2,
      replaced: 0,
      skippedLines: 1,
      firstHourStart: new Date("2026-01-15T09:00:00Z"),
      lastHourStart: new Date("2026-01-15T10:00:00Z"),
    });
    expect(await hourly()).toEqual([
      { hour: "2026-01-15T09Z", mg: 21_167, importId: result.importId },
      { hour: "2026-01-15T10Z", mg: 30_000, importId: result.importId },
    ]);
    const listed = await api.gridIntensity.imports({});
    expect(listed.rows[0]).toMatchObject({
      id: result.importId,
      country: COUNTRY,
      source: `${SOURCE} series`,
      fileName: "eCO2mix_RTE_2026-01-15.csv",
      hours: 2,
      hoursInUse: 2,
      createdBy: "Claire Moreau",
    });
  });

  it("a later import replaces the hours it gives and names itself on them; the others stay", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const [earlier] = (await hourly()).map((h) => h.importId);
    const later = await api.gridIntensity.importHourly(load(generic("2026-01-15T10:00:00Z,35.5", "2026-01-15T11:00:00Z,40"), "correction.csv"));
    expect(later).toMatchObject({ shape: "generic", hours: 2, replaced: 1, skippedLines: 0 });
    expect(await hourly()).toEqual([
      { hour: "2026-01-15T09Z", mg: 21_167, importId: earlier },
      { hour: "2026-01-15T10Z", mg: 35_500, importId: later.importId },
      { hour: "2026-01-15T11Z", mg: 40_000, importId: later.importId },
    ]);
    const listed = await api.gridIntensity.imports({ pageSize: 2 });
    expect(listed.total).toBeGreaterThanOrEqual(2);
    expect(listed.rows.map((r) => [r.fileName, r.hoursInUse])).toEqual([
      ["correction.csv", 2],
      ["eCO2mix_RTE_2026-01-15.csv", 1],
    ]);
  });

  it("refuses a file with a bad line whole, naming every bad line, and writes nothing", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const before = { counts: await counts(), hourly: await hourly() };
    const csv = generic("2026-01-15T12:00:00Z,50", "2026-01-15T13:00:00Z,abc", "2026-01-15T14:00:00Z,51", "2026-01-15T15:00:00Z,-2");
    const error = await refusalOf(api.gridIntensity.importHourly(load(csv)));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe('Line 3: the intensity "abc" is not a number of g/kWh (and 1 more bad line). Nothing was loaded.');
    expect(fieldsOf(error)).toMatchObject({
      "csv.line.3": 'Line 3: the intensity "abc" is not a number of g/kWh.',
      "csv.line.5": "Line 5: the intensity -2 g/kWh is negative.",
    });
    expect({ counts: await counts(), hourly: await hourly() }).toEqual(before);
  });

  it("refuses a French file for another country, a file without values, and bad fields, writing nothing", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const before = await counts();
    const france = ["Périmètre;" + RTE_HEADER, "France;Données consolidées;2026-01-16;10:00;45000;20"].join("\n");
    const wrongCountry = await refusalOf(api.gridIntensity.importHourly(load(france)));
    expect(wrongCountry.code).toBe("BAD_REQUEST");
    expect(wrongCountry.message).toBe(`The file is for France (FR), not ${COUNTRY}. Nothing was loaded.`);
    const empty = await refusalOf(api.gridIntensity.importHourly(load([RTE_HEADER, "Données temps réel;2026-01-16;10:00;45000;"].join("\n"))));
    expect(empty.message).toMatch(/no hour with an intensity/);
    const badFields = await refusalOf(api.gridIntensity.importHourly({ country: "France", source: "", fileName: "x.csv", csv: generic() }));
    expect(Object.keys(fieldsOf(badFields)).sort()).toEqual(["country", "source"]);
    const tooLarge = await refusalOf(api.gridIntensity.importHourly(load("x".repeat(5_000_001))));
    expect(fieldsOf(tooLarge)).toEqual({ csv: "The file is larger than 5 MB: load it a few months at a time." });
    expect(await counts()).toEqual(before);
  });
});

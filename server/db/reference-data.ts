import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { DEFAULT_RATES_CENTS_PER_CORE_HOUR } from "@/server/domain/billing";
import { SCHEDULING_TYPES } from "@/server/domain/task-state";
import { gridIntensityVersions, profiles, rateCardVersions, tariffVersions } from "./schema";

/** The profiles every Hearth platform offers. */
/** The profile of donated research work: the operator's own, never a customer's. */
export const DONATED_PROFILE = "research";

export const BUILT_IN_PROFILES = [
  {
    name: "monte-carlo",
    description: "Prices a European or Asian option by Monte-Carlo simulation; each instance returns an estimate and its standard error.",
    coresPerInstance: 1,
    minRamGb: 1,
    requiresContainerRuntime: false,
    expectedCoreSecondsPerInstance: 120,
  },
  {
    name: "render",
    description: "Renders one frame of a 3D scene per instance to PNG.",
    coresPerInstance: 4,
    minRamGb: 2,
    requiresContainerRuntime: false,
    expectedCoreSecondsPerInstance: 600,
  },
  {
    name: "docker-batch",
    description: "Runs a command in a container image; needs nodes that offer a container runtime.",
    coresPerInstance: 1,
    minRamGb: 1,
    requiresContainerRuntime: true,
    expectedCoreSecondsPerInstance: 300,
  },
  {
    name: DONATED_PROFILE,
    description: "Donated research computing (protein folding work units) run on heat that no customer buys.",
    coresPerInstance: 1,
    minRamGb: 1,
    requiresContainerRuntime: false,
    expectedCoreSecondsPerInstance: 1800,
  },
] as const;

/** Inserts or refreshes the built-in profiles: reference data every platform needs, applied with the migrations. */
export async function ensureBuiltInProfiles(db: Db) {
  await db
    .insert(profiles)
    .values(BUILT_IN_PROFILES.map((p) => ({ ...p })))
    .onConflictDoUpdate({
      target: profiles.name,
      set: {
        description: sql`excluded.description`,
        coresPerInstance: sql`excluded.cores_per_instance`,
        minRamGb: sql`excluded.min_ram_gb`,
        requiresContainerRuntime: sql`excluded.requires_container_runtime`,
        expectedCoreSecondsPerInstance: sql`excluded.expected_core_seconds_per_instance`,
      },
    });
}

/**
 * The electricity tariffs refunds are priced with (DOMAIN.md): France's regulated Tarif Bleu,
 * option Base, 6 kVA, € per kWh including taxes, in micro-euros. Staff add later versions through
 * the refunds router; these are only inserted where missing, never changed.
 */
export const TARIFF_SOURCE_CRE = "CRE, tarif réglementé de vente (TRVE)";
export const REFERENCE_TARIFFS = [
  { effectiveFrom: "2023-08-01", priceMicroEurosPerKWh: 227_600 },
  { effectiveFrom: "2024-02-01", priceMicroEurosPerKWh: 251_600 },
  { effectiveFrom: "2025-02-01", priceMicroEurosPerKWh: 201_600 },
  { effectiveFrom: "2025-08-01", priceMicroEurosPerKWh: 195_200 },
  { effectiveFrom: "2026-02-01", priceMicroEurosPerKWh: 194_000 },
].map((t) => ({ country: "FR", option: "base-6kva", label: "Tarif Bleu Base 6 kVA", source: TARIFF_SOURCE_CRE, ...t }));

/** Inserts the reference tariffs a database does not hold yet (same country, option, date and source). */
export async function ensureReferenceTariffs(db: Db) {
  await db.execute(sql`
    insert into tariff_versions (country, option, label, effective_from, price_micro_euros_per_kwh, source)
    select v.country, v.option, v.label, v.effective_from::date, v.price, v.source
    from jsonb_to_recordset(${JSON.stringify(
      REFERENCE_TARIFFS.map((t) => ({ country: t.country, option: t.option, label: t.label, effective_from: t.effectiveFrom, price: t.priceMicroEurosPerKWh, source: t.source })),
    )}::jsonb) as v(country text, option text, label text, effective_from text, price int, source text)
    where not exists (select 1 from ${tariffVersions} t where t.country = v.country and t.option = v.option
      and t.effective_from = v.effective_from::date and t.source = v.source)
    order by v.effective_from`);
}

/**
 * France's annual grid carbon intensity (DOMAIN.md), the carbon methodology's fallback for hours no
 * imported series covers. Staff add later versions; these are only inserted where missing.
 */
export const REFERENCE_GRID_INTENSITIES = [
  { country: "FR", effectiveFrom: "2023-01-01", intensityMgPerKWh: 32_000, source: "RTE, Bilan électrique 2023: 32 gCO2e/kWh of production" },
  { country: "FR", effectiveFrom: "2024-01-01", intensityMgPerKWh: 21_700, source: "RTE, Bilan électrique 2024: 21.7 gCO2e/kWh of production" },
];

/** Inserts the reference grid intensities a database does not hold yet (same country, date and source). */
export async function ensureReferenceGridIntensities(db: Db) {
  await db.execute(sql`
    insert into grid_intensity_versions (country, effective_from, intensity_mg_per_kwh, source)
    select v.country, v.effective_from::date, v.mg, v.source
    from jsonb_to_recordset(${JSON.stringify(
      REFERENCE_GRID_INTENSITIES.map((g) => ({ country: g.country, effective_from: g.effectiveFrom, mg: g.intensityMgPerKWh, source: g.source })),
    )}::jsonb) as v(country text, effective_from text, mg int, source text)
    where not exists (select 1 from ${gridIntensityVersions} g where g.country = v.country
      and g.effective_from = v.effective_from::date and g.source = v.source)
    order by v.effective_from`);
}

/**
 * The rate card's first version (server/domain/billing.ts: Flex 25 c per core-hour as DOMAIN.md
 * quotes, OnDemand 40, Reserved 60), in force since long before any task. Inserted only for a
 * scheduling type with no version at all; staff add later versions.
 */
export const REFERENCE_RATES_FROM = "2000-01-01T00:00:00Z";

export async function ensureReferenceRateCard(db: Db) {
  await db.execute(sql`
    insert into rate_card_versions (scheduling_type, rate_cents_per_core_hour, effective_from, label)
    select v.scheduling_type::scheduling_type, v.rate, ${REFERENCE_RATES_FROM}::timestamptz, v.label
    from jsonb_to_recordset(${JSON.stringify(
      SCHEDULING_TYPES.map((t) => ({ scheduling_type: t, rate: DEFAULT_RATES_CENTS_PER_CORE_HOUR[t], label: `${t}, first rate card` })),
    )}::jsonb) as v(scheduling_type text, rate int, label text)
    where not exists (select 1 from ${rateCardVersions} r where r.scheduling_type = v.scheduling_type::scheduling_type)`);
}

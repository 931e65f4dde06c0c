import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { profiles } from "./schema";

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

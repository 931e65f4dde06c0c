import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Db } from "./client";
import { ensureBuiltInProfiles, ensureReferenceGridIntensities, ensureReferenceRateCard, ensureReferenceTariffs } from "./reference-data";

/** Applies every pending migration in drizzle/ and the reference data; safe to run on every start. */
export async function migrateDb(db: Db) {
  await migrate(db, { migrationsFolder: path.join(process.cwd(), "drizzle") });
  await ensureBuiltInProfiles(db);
  await ensureReferenceTariffs(db);
  await ensureReferenceGridIntensities(db);
  await ensureReferenceRateCard(db);
}

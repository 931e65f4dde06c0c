/**
 * Seeds the demo data: `DATABASE_URL=postgres://user@host:5432/db HEARTH_DATA_KEY=… tsx scripts/seed.ts`
 * (the key that will serve the app: the demo's IBAN is stored encrypted under it).
 * Applies pending migrations first; does nothing if the database already holds organizations.
 */
import { closeDb, createDb } from "../server/db/client";
import { migrateDb } from "../server/db/migrate";
import { isSeeded, seedDemo } from "../server/services/seed";
import { DataKeyError } from "../server/services/secret-box";

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "DATABASE_URL is not set. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth npx tsx scripts/seed.ts",
    );
    return 1;
  }

  const db = createDb(url, { maxConnections: 1 });
  try {
    await migrateDb(db);
    if (await isSeeded(db)) {
      console.log("already seeded");
      return 0;
    }
    const started = performance.now();
    const summary = await seedDemo(db);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`seeded in ${seconds} s`);
    for (const [table, count] of Object.entries(summary)) {
      console.log(`  ${table.padEnd(15)} ${count}`);
    }
    return 0;
  } finally {
    await closeDb(db);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // The demo's bank details are sealed under HEARTH_DATA_KEY: say what to set, not a stack.
    console.error(err instanceof DataKeyError ? err.message : err);
    process.exitCode = 1;
  },
);

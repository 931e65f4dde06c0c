import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const TEST_DIRS = ["server", "scripts", "components"];

/**
 * Test files that open the test database (through server/test/db). They share one database
 * (DATABASE_URL, set by `npm test`), so they run one file after another; every other test is
 * pure and runs in parallel, first.
 */
function databaseTestFiles(): string[] {
  return TEST_DIRS.flatMap((dir) =>
    (fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }) as string[])
      .filter((file) => file.endsWith(".test.ts"))
      .map((file) => path.posix.join(dir, file.split(path.sep).join("/")))
      .filter((file) => fs.readFileSync(path.join(root, file), "utf8").includes("@/server/test/db")),
  );
}

// Beside the files at the top level (proxy.ts), pure tests too.
const allTests = [...TEST_DIRS.map((dir) => `${dir}/**/*.test.ts`), "*.test.ts"];
const databaseTests = databaseTestFiles();
/** `npm start` run for real: it serves the production build, so `npm test` runs it after its build step. */
const startTests = ["scripts/start.test.ts"];

export default defineConfig({
  resolve: {
    alias: { "@": root },
  },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The fixed test data key (HEARTH_DATA_KEY), for the bank details of the seeded database.
    setupFiles: ["server/test/setup.ts"],
    projects: [
      {
        extends: true,
        test: { name: "pure", include: allTests, exclude: [...databaseTests, ...startTests], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "database", include: databaseTests, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: "start", include: startTests, sequence: { groupOrder: 2 } },
      },
    ],
  },
});

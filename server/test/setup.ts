import { TEST_DATA_KEY } from "./keys";

// The key the test database was seeded with (scripts/test.ts sets the same one); a run started
// by hand (npx vitest) gets it too.
process.env.HEARTH_DATA_KEY ??= TEST_DATA_KEY;

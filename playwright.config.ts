import { defineConfig, devices } from "@playwright/test";

const PORT = 3100;
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Run through `npm test` (or `npm test -- --e2e`): it builds the app and provides
// DATABASE_URL (a fresh seeded database), HEARTH_DEMO=1 and AUTH_SECRET.
export default defineConfig({
  testDir: "e2e",
  workers: 2,
  retries: 0,
  // Two sign-ins (a deliberately slow password check) and a cold server on two cores take more than
  // the default 30 s; a test that hangs still fails.
  timeout: 60_000,
  // The JSON report (path from PLAYWRIGHT_JSON_OUTPUT_FILE) feeds the test count of `npm test`.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [["list"], ["json"]] : "list",
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: BASE_URL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        // Debian's Chromium: Playwright cannot download browsers here.
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    command: `node_modules/.bin/next start -p ${PORT} -H 127.0.0.1`,
    url: BASE_URL,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { ...(process.env as Record<string, string>) },
    // The server's output joins the run's, where scripts/test.ts checks that no IBAN appears whole.
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});

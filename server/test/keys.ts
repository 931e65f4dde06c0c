/**
 * The data key of the test runs (HEARTH_DATA_KEY): fixed, so that the database scripts/test.ts
 * seeds and the processes that read it (vitest, the browser tests' server) share it. For tests only.
 */
export const TEST_DATA_KEY = Buffer.alloc(32, "hearth-test-data-key-not-secret!").toString("base64");

/** The demo's test IBAN (seeded for resident@hearth.test); it must never appear whole in an answer or a log. */
export const DEMO_IBAN = "FR7630006000011234567890189";

/** The IBAN the browser tests type for resident2@hearth.test (e2e/resident-enrolment.spec.ts), checked the same way. */
export const E2E_IBAN = "DE89370400440532013000";

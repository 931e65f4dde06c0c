import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { signInFailures } from "@/server/db/schema";
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from "@/server/domain/sign-in-throttle";
import { useTestDb } from "@/server/test/db";
import { DEMO_PASSWORD } from "./demo-accounts";
import { authenticate } from "./authenticate";

const db = useTestDb();
const address = "203.0.113.7";

afterEach(async () => {
  await db.delete(signInFailures).where(eq(signInFailures.ipAddress, address));
});

describe("authenticate", () => {
  it("signs in a demo account, whatever the case of its e-mail", async () => {
    const result = await authenticate(db, { email: " Landlord@Hearth.test ", password: DEMO_PASSWORD, ipAddress: address });
    expect(result).toMatchObject({ ok: true, user: { email: "landlord@hearth.test", role: "landlord", organizationName: "Paris Habitat Ouest" } });
  });

  it("answers the same for a wrong password and an unknown e-mail", async () => {
    const wrong = await authenticate(db, { email: "landlord@hearth.test", password: "nope", ipAddress: address });
    const unknown = await authenticate(db, { email: "nobody@hearth.test", password: "nope", ipAddress: address });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("throttles an account after repeated failures, even with the right password", async () => {
    const email = "customer2@hearth.test";
    await db.delete(signInFailures).where(eq(signInFailures.email, email));
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(await authenticate(db, { email, password: "guess", ipAddress: address })).toMatchObject({ reason: "invalid" });
    }
    const result = await authenticate(db, { email, password: DEMO_PASSWORD, ipAddress: address });
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    if (!result.ok && result.reason === "throttled") expect(result.retryAfterS).toBeGreaterThan(0);
    await db.delete(signInFailures).where(eq(signInFailures.email, email));
  });

  it("throttles an address that tries many accounts", async () => {
    const now = new Date();
    await db.insert(signInFailures).values(
      Array.from({ length: MAX_FAILURES_PER_ADDRESS }, (_, i) => ({ email: `sprayed${i}@example.test`, ipAddress: address, failedAt: now })),
    );
    const result = await authenticate(db, { email: "staff@hearth.test", password: DEMO_PASSWORD, ipAddress: address });
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("clears an account's failures after a successful sign-in", async () => {
    const email = "resident2@hearth.test";
    await authenticate(db, { email, password: "guess", ipAddress: address });
    expect(await authenticate(db, { email, password: DEMO_PASSWORD, ipAddress: address })).toMatchObject({ ok: true });
    expect(await db.select().from(signInFailures).where(eq(signInFailures.email, email))).toHaveLength(0);
  });
});

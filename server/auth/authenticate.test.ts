import { eq, inArray, like } from "drizzle-orm";
import { decode, encode } from "next-auth/jwt";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeDb, createDb } from "@/server/db/client";
import { signInFailures, users } from "@/server/db/schema";
import {
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
  MAX_FAILURES_PER_ADDRESS,
} from "@/server/domain/sign-in-throttle";
import { useTestDb } from "@/server/test/db";
import { DEMO_PASSWORD } from "./demo-accounts";
import { authenticate, endAllSessions, endSession, loadSessionUser, sessionClaimOf } from "./authenticate";
import { verifyPassword } from "./password";

const db = useTestDb();
const address = "203.0.113.7";
const otherAddress = "198.51.100.23";

// Parallel tries need connections of their own, as parallel requests to the app have.
const wide = createDb(process.env.DATABASE_URL!, { maxConnections: 16 });
afterAll(() => closeDb(wide));

afterEach(async () => {
  await db.delete(signInFailures).where(inArray(signInFailures.ipAddress, [address, otherAddress]));
  await db.delete(signInFailures).where(like(signInFailures.ipAddress, "192.0.2.%"));
});

/** The real password check, counted. */
function countedVerify() {
  const counter = {
    calls: 0,
    verify: (password: string, stored: string) => {
      counter.calls += 1;
      return verifyPassword(password, stored);
    },
  };
  return counter;
}

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
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; i++) {
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

  it("forgets an account's failures from an address once its owner signs in from there", async () => {
    const email = "resident2@hearth.test";
    await authenticate(db, { email, password: "guess", ipAddress: address });
    expect(await authenticate(db, { email, password: DEMO_PASSWORD, ipAddress: address })).toMatchObject({ ok: true });
    expect(await db.select().from(signInFailures).where(eq(signInFailures.email, email))).toHaveLength(0);
  });

  it("checks no more passwords than the limit when many tries for one account arrive at once", async () => {
    const email = "customer2@hearth.test";
    await db.delete(signInFailures).where(eq(signInFailures.email, email));
    const counted = countedVerify();
    const results = await Promise.all(
      Array.from({ length: 15 }, () =>
        authenticate(wide, { email, password: "guess", ipAddress: address }, { verifyPassword: counted.verify }),
      ),
    );
    expect(counted.calls).toBe(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(15 - MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
    await db.delete(signInFailures).where(eq(signInFailures.email, email));
  });

  it("holds an account's overall ceiling when tries from many addresses arrive at once", async () => {
    const email = "customer2@hearth.test";
    await db.delete(signInFailures).where(eq(signInFailures.email, email));
    const counted = countedVerify();
    const tries = MAX_FAILURES_PER_ACCOUNT + 15;
    await Promise.all(
      Array.from({ length: tries }, (_, i) =>
        authenticate(wide, { email, password: "guess", ipAddress: `192.0.2.${i}` }, { verifyPassword: counted.verify }),
      ),
    );
    expect(counted.calls).toBe(MAX_FAILURES_PER_ACCOUNT);
    await db.delete(signInFailures).where(eq(signInFailures.email, email));
  });

  it("holds an address's limit when tries for many accounts arrive at once", async () => {
    const counted = countedVerify();
    const tries = MAX_FAILURES_PER_ADDRESS + 10;
    await Promise.all(
      Array.from({ length: tries }, (_, i) =>
        authenticate(wide, { email: `sprayed${i}@example.test`, password: "guess", ipAddress: address }, { verifyPassword: counted.verify }),
      ),
    );
    expect(counted.calls).toBe(MAX_FAILURES_PER_ADDRESS);
  });

  it("lets an account's owner in from their own address while another address is refused", async () => {
    const email = "landlord2@hearth.test";
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; i++) {
      await authenticate(db, { email, password: "guess", ipAddress: otherAddress });
    }
    expect(await authenticate(db, { email, password: DEMO_PASSWORD, ipAddress: otherAddress })).toMatchObject({ reason: "throttled" });
    expect(await authenticate(db, { email, password: DEMO_PASSWORD, ipAddress: address })).toMatchObject({ ok: true });
  });
});

describe("sessions", () => {
  // As next-auth keeps them: an encrypted token in a cookie, made at sign-in, read on each request.
  const secret = "a secret for the tests only, at least 32 characters";
  const salt = "authjs.session-token";

  async function signInToken(email: string) {
    const result = await authenticate(db, { email, password: DEMO_PASSWORD, ipAddress: address });
    if (!result.ok) throw new Error(`cannot sign in ${email}`);
    return encode({ token: { sub: result.user.id, sessionId: result.sessionId }, secret, salt });
  }

  async function userOf(token: string) {
    const claim = sessionClaimOf((await decode({ token, secret, salt }))!);
    return claim ? loadSessionUser(db, claim) : null;
  }

  async function claimOf(token: string) {
    return sessionClaimOf((await decode({ token, secret, salt }))!)!;
  }

  it("refuses a token once its session signed out, and keeps the user's other sessions", async () => {
    const email = "resident@hearth.test";
    const laptop = await signInToken(email);
    const phone = await signInToken(email);
    expect(await userOf(laptop)).toMatchObject({ email, role: "resident" });
    expect(await userOf(phone)).toMatchObject({ email });

    await endSession(db, await claimOf(laptop)); // what signing out runs

    expect(await userOf(laptop)).toBeNull();
    expect(await userOf(phone)).toMatchObject({ email });
    // Another user's token cannot end this one's session.
    const stranger = await claimOf(await signInToken("resident2@hearth.test"));
    await endSession(db, { userId: stranger.userId, sessionId: (await claimOf(phone)).sessionId });
    expect(await userOf(phone)).toMatchObject({ email });
  });

  it("ends every session of a user for a changed password or a disabled account", async () => {
    const email = "landlord@hearth.test";
    const laptop = await signInToken(email);
    const phone = await signInToken(email);
    const { userId } = await claimOf(laptop);
    expect(await endAllSessions(db, userId)).toBeGreaterThanOrEqual(2);
    expect(await userOf(laptop)).toBeNull();
    expect(await userOf(phone)).toBeNull();
    expect(await userOf(await signInToken(email))).toMatchObject({ email });
    expect(await endAllSessions(db, "00000000-0000-4000-8000-000000000000")).toBe(0);
  });

  it("refuses a token without a session, as issued before sessions were recorded", async () => {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, "staff@hearth.test"));
    const token = await encode({ token: { sub: user!.id }, secret, salt });
    expect(sessionClaimOf((await decode({ token, secret, salt }))!)).toBeNull();
  });
});

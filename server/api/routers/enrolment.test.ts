import { eq, notInArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { refundEnrolments, residents, sites } from "@/server/db/schema";
import { localDay } from "@/server/domain/history-view";
import { open } from "@/server/services/secret-box";
import { localMonthStart } from "@/server/services/seed";
import { callerAs, sessionUserByEmail, useTestDb, userIdByEmail } from "@/server/test/db";
import { DEMO_IBAN } from "@/server/test/keys";
import { handleTrpcRequest } from "../http";

/** Enrolment for the refund through its router, against the seeded database. */
const db = useTestDb();

const OTHER_IBAN = "DE89370400440532013000";
const fieldsOf = (error: unknown) => (error as { cause?: { issues?: Array<{ path: string[] }> } }).cause?.issues?.map((i) => i.path.join("."));
const good = {
  holderName: "Mathieu Lefèvre",
  deliveryPoint: "0912 3456 7890 12",
  iban: "fr76 3000 6000 0112 3456 7890 189",
  bic: "agrifrpp",
  consent: true,
};

let dwellingOfResident2: string;
let seededRowIds: number[];

async function rowsOf(dwellingId: string) {
  return db.select().from(refundEnrolments).where(eq(refundEnrolments.dwellingId, dwellingId));
}

beforeAll(async () => {
  const [link] = await db.select({ dwellingId: residents.dwellingId }).from(residents).where(eq(residents.userId, await userIdByEmail(db, "resident2@hearth.test")));
  dwellingOfResident2 = link!.dwellingId;
  seededRowIds = (await db.select({ id: refundEnrolments.id }).from(refundEnrolments)).map((r) => r.id);
});

// The seeded enrolments stay; what these tests wrote goes.
afterAll(async () => {
  await db.delete(refundEnrolments).where(seededRowIds.length > 0 ? notInArray(refundEnrolments.id, seededRowIds) : undefined);
});

describe("enrolment router", () => {
  it("shows the demo resident enrolled since the month two months back, the IBAN only masked", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    const mine = await api.enrolment.mine();
    const [site] = await db.select({ timeZone: sites.timeZone }).from(sites).limit(1);
    expect(mine).toMatchObject({
      enrolled: true,
      timeZone: site!.timeZone,
      current: { holderName: "Nadia Benali", deliveryPoint: expect.stringMatching(/^\d{14}$/), ibanMasked: "FR76 •••• •••• •••• 0189" },
    });
    expect(mine.history).toHaveLength(1);
    expect(mine.sinceMonth).toBe(localDay(localMonthStart(new Date(), mine.timeZone, 2), mine.timeZone).slice(0, 7));
    expect(localDay(mine.current!.consentAt, mine.timeZone)).toMatch(/-01$/);
  });

  it("enrols a resident who was not, from this month, storing the IBAN sealed", async () => {
    const api = await callerAs(db, "resident2@hearth.test");
    expect(await api.enrolment.mine()).toMatchObject({ enrolled: false, sinceMonth: null, current: null, history: [] });
    const before = Date.now();
    const saved = await api.enrolment.save(good);
    expect(saved).toMatchObject({
      enrolled: true,
      sinceMonth: localDay(new Date(), saved.timeZone).slice(0, 7),
      current: { holderName: "Mathieu Lefèvre", deliveryPoint: "09123456789012", ibanMasked: "FR76 •••• •••• •••• 0189", bic: "AGRIFRPP" },
    });
    expect(saved.current!.consentAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(saved).toEqual(await api.enrolment.mine());

    const [row] = await rowsOf(dwellingOfResident2);
    expect(row!.userId).toBe(await userIdByEmail(db, "resident2@hearth.test"));
    expect(row!.ibanEncrypted).not.toContain("0189");
    expect(open(row!.ibanEncrypted)).toBe(DEMO_IBAN);
  });

  it("keeps every change as a new version with its date; the enrolment month stays the first", async () => {
    const api = await callerAs(db, "resident2@hearth.test");
    const first = await api.enrolment.mine();
    const changed = await api.enrolment.save({ ...good, holderName: "Léa Lefèvre", iban: OTHER_IBAN, bic: null });
    expect(changed.history).toHaveLength(first.history.length + 1);
    expect(changed.current).toMatchObject({ holderName: "Léa Lefèvre", ibanMasked: "DE89 •••• •••• •••• 3000", bic: null });
    // Newest first, each with its dates; the earlier version is kept as it was.
    expect(changed.history[1]).toEqual(first.current);
    expect(changed.history[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(changed.history[1]!.createdAt.getTime());
    expect(changed.sinceMonth).toBe(first.sinceMonth);
    const rows = await rowsOf(dwellingOfResident2);
    expect(rows).toHaveLength(changed.history.length);
    expect(rows.map((r) => open(r.ibanEncrypted)).sort()).toEqual([OTHER_IBAN, DEMO_IBAN].sort());
  });

  it("refuses bad input with BAD_REQUEST naming the field, writing nothing", async () => {
    const api = await callerAs(db, "resident2@hearth.test");
    const count = (await rowsOf(dwellingOfResident2)).length;
    for (const [input, fields] of [
      [{ iban: "FR7630006000011234567890188" }, ["iban"]],
      [{ iban: "" }, ["iban"]],
      [{ deliveryPoint: "1234567890123" }, ["deliveryPoint"]],
      [{ deliveryPoint: "123456789012345" }, ["deliveryPoint"]],
      [{ bic: "AGRIFRP" }, ["bic"]],
      [{ holderName: "  " }, ["holderName"]],
      [{ consent: false }, ["consent"]],
      [{ iban: "X".repeat(200) }, ["iban"]],
      [{ iban: "FR7630006000011234567890188", deliveryPoint: "12", bic: "??" }, ["deliveryPoint", "iban", "bic"]],
    ] as const) {
      const error = await api.enrolment.save({ ...good, ...input }).catch((e: unknown) => e);
      expect(error, JSON.stringify(input)).toMatchObject({ code: "BAD_REQUEST" });
      expect(fieldsOf(error)).toEqual(fields);
    }
    expect(await rowsOf(dwellingOfResident2)).toHaveLength(count);
  });

  it("is for residents only", async () => {
    for (const email of ["landlord@hearth.test", "customer@hearth.test", "staff@hearth.test"]) {
      const api = await callerAs(db, email);
      await expect(api.enrolment.mine()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.enrolment.save(good)).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect((await callerAs(db, null)).enrolment.mine()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("says clearly that the server has no data key, and writes nothing", async () => {
    const api = await callerAs(db, "resident2@hearth.test");
    const count = (await rowsOf(dwellingOfResident2)).length;
    const key = process.env.HEARTH_DATA_KEY;
    delete process.env.HEARTH_DATA_KEY;
    try {
      const error = await api.enrolment.save(good).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/no data key \(HEARTH_DATA_KEY\)/) });
      // Reading needs no key: only the mask is shown.
      expect((await api.enrolment.mine()).enrolled).toBe(true);
    } finally {
      process.env.HEARTH_DATA_KEY = key;
    }
    expect(await rowsOf(dwellingOfResident2)).toHaveLength(count);
  });
});

describe("the IBAN never leaves whole", () => {
  it("in no answer of any enrolment procedure over HTTP, nor in anything logged", async () => {
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "))),
    );
    const bodies: string[] = [];
    try {
      const user = await sessionUserByEmail(db, "resident2@hearth.test");
      const call = async (path: string, input?: unknown) => {
        const init: RequestInit =
          input === undefined ? { method: "GET" } : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: input }) };
        const response = await handleTrpcRequest(new Request(`http://localhost/api/trpc/${path}`, init), async () => ({ db, user }));
        const body = await response.text();
        bodies.push(body);
        return { status: response.status, body };
      };
      const typed = "FR76 3000 6000 0112 3456 7890 189";
      expect((await call("enrolment.save", { ...good, iban: typed })).status).toBe(200);
      expect((await call("enrolment.save", { ...good, iban: DEMO_IBAN, holderName: "Mathieu L." })).status).toBe(200);
      const mine = await call("enrolment.mine");
      expect(mine.status).toBe(200);
      expect(mine.body).toContain("FR76 •••• •••• •••• 0189");
      // A refusal, a fault (the key malformed) and an input refused by shape.
      expect((await call("enrolment.save", { ...good, iban: DEMO_IBAN, consent: false })).status).toBe(400);
      const key = process.env.HEARTH_DATA_KEY;
      process.env.HEARTH_DATA_KEY = "short";
      try {
        expect((await call("enrolment.save", good)).status).toBe(409);
      } finally {
        process.env.HEARTH_DATA_KEY = key;
      }
      expect((await call("enrolment.save", { ...good, iban: `${DEMO_IBAN}${"0".repeat(60)}` })).status).toBe(400);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const everything = [...bodies, ...logged].join("\n");
    const compact = everything.replace(/[\s-]/g, "");
    expect(compact).not.toContain(DEMO_IBAN);
    expect(compact.toUpperCase()).not.toContain(DEMO_IBAN.slice(4, 20));
    expect(everything).not.toContain("FR76 3000 6000");
  });
});

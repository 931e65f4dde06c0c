import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { emailOutbox, notifications } from "@/server/db/schema";
import { finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { listNotifications, markNotificationsRead, MAX_EMAIL_ATTEMPTS, sendPendingEmail, type MailTransport } from "./notifications";
import { finishAttempt } from "./scheduler";
import { cancelTask, createTask, rerunFailedInstances } from "./tasks";

const db = useTestDb();
const now = new Date("2026-01-15T10:00:00Z");
const later = new Date("2026-01-15T10:05:00Z");
let lumen: string;
let carmin: string;

beforeEach(async () => {
  await resetEngine(db);
  await db.delete(emailOutbox);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
  await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 4), 1, now);
});

const mc = (organizationId: string, name: string, extra: Partial<Parameters<typeof createTask>[1]> = {}) =>
  createTask(db, { organizationId, profileName: "monte-carlo", name, instanceCount: 2, now, ...extra });

async function notificationsOf(taskId: string) {
  return db.select().from(notifications).where(eq(notifications.taskId, taskId)).orderBy(asc(notifications.id));
}

describe("notifications when a task ends", () => {
  it("notifies the organization once per ending, with an e-mail per customer user", async () => {
    const task = await mc(lumen, "frames");
    const [, second] = await startAll(db, task.id, now);
    await finish(db, task.id, [0], "succeeded", later);
    expect(await notificationsOf(task.id)).toEqual([]);
    const exit = { attemptId: second!.attemptId, outcome: "succeeded" as const, exitCode: 0, endedAt: later };
    await finishAttempt(db, exit);
    await finishAttempt(db, exit); // a repeated report
    expect(await notificationsOf(task.id)).toMatchObject([
      { organizationId: lumen, kind: "task_succeeded", title: 'Task "frames" succeeded', body: "All 2 instances succeeded.", createdAt: later },
    ]);
    const mail = await db.select().from(emailOutbox).orderBy(asc(emailOutbox.toAddress));
    expect(mail.map((m) => [m.toAddress, m.subject])).toEqual([
      ["customer@hearth.test", 'Task "frames" succeeded'],
      ["ines.fabre@lumen.test", 'Task "frames" succeeded'],
    ]);
    expect(mail[0]!.bodyText).toContain(task.id);
  });

  it("notifies a failure, and again when the rerun ends", async () => {
    const task = await mc(lumen, "pricing", { maxRetriesPerInstance: 0 });
    await startAll(db, task.id, now);
    await finish(db, task.id, [0], "succeeded", later);
    await finish(db, task.id, [1], "failed", later);
    expect(await notificationsOf(task.id)).toMatchObject([
      { kind: "task_failed", body: "1 of 2 instances failed, 1 succeeded. You can rerun only the failed ones." },
    ]);
    await rerunFailedInstances(db, { organizationId: lumen, taskId: task.id, now: later });
    await startAll(db, task.id, later);
    await finish(db, task.id, [1], "succeeded", later);
    expect((await notificationsOf(task.id)).map((n) => n.kind)).toEqual(["task_failed", "task_succeeded"]);
  });

  it("notifies a cancellation, and nobody for donated research", async () => {
    const task = await mc(carmin, "risk", { instanceCount: 10 });
    await cancelTask(db, { organizationId: carmin, taskId: task.id, now });
    expect(await notificationsOf(task.id)).toMatchObject([{ organizationId: carmin, kind: "task_cancelled", title: 'Task "risk" was cancelled' }]);
    expect((await db.select().from(emailOutbox)).map((m) => m.toAddress).sort()).toEqual(["customer2@hearth.test", "karim.haddad@carmin.test"]);

    const operator = await organizationIdByName(db, "Hearth Operations");
    const research = await createTask(db, { organizationId: operator, profileName: "research", name: "folding", instanceCount: 1, donated: true, now });
    await cancelTask(db, { organizationId: operator, taskId: research.id, now });
    expect(await notificationsOf(research.id)).toEqual([]);
  });
});

describe("listNotifications and markNotificationsRead", () => {
  it("lists the organization's notifications newest first and marks them read", async () => {
    const a = await mc(lumen, "a");
    const b = await mc(lumen, "b");
    await cancelTask(db, { organizationId: lumen, taskId: a.id, now });
    await cancelTask(db, { organizationId: lumen, taskId: b.id, now: later });
    const listed = await listNotifications(db, { organizationId: lumen, limit: 10 });
    expect(listed.unread).toBe(2);
    expect(listed.items.map((n) => n.taskId)).toEqual([b.id, a.id]);
    expect(await listNotifications(db, { organizationId: carmin, limit: 10 })).toEqual({ unread: 0, items: [] });

    // Another organization cannot mark them.
    expect(await markNotificationsRead(db, { organizationId: carmin, ids: listed.items.map((n) => n.id), now: later })).toBe(0);
    expect(await markNotificationsRead(db, { organizationId: lumen, ids: [listed.items[1]!.id], now: later })).toBe(1);
    const after = await listNotifications(db, { organizationId: lumen, limit: 10, unreadOnly: true });
    expect(after).toMatchObject({ unread: 1, items: [{ taskId: b.id, readAt: null }] });
    expect(await markNotificationsRead(db, { organizationId: lumen, now: later })).toBe(1);
    expect((await listNotifications(db, { organizationId: lumen, limit: 10 })).unread).toBe(0);
  });

  it("orders by when the task ended, not by when the notice was written", async () => {
    const [a, b, c] = [await mc(lumen, "a"), await mc(lumen, "b"), await mc(lumen, "c")];
    // Written in the order a, b, c; they ended at 10:32, 10:29 and 10:30.
    await cancelTask(db, { organizationId: lumen, taskId: a.id, now: new Date("2026-01-15T10:32:00Z") });
    await cancelTask(db, { organizationId: lumen, taskId: b.id, now: new Date("2026-01-15T10:29:00Z") });
    await cancelTask(db, { organizationId: lumen, taskId: c.id, now: new Date("2026-01-15T10:30:00Z") });
    const listed = await listNotifications(db, { organizationId: lumen, limit: 10 });
    expect(listed.items.map((n) => n.taskId)).toEqual([a.id, c.id, b.id]);
    expect(listed.items.map((n) => n.createdAt.toISOString().slice(11, 16))).toEqual(["10:32", "10:30", "10:29"]);
  });
});

describe("sendPendingEmail", () => {
  async function pendingMail() {
    const task = await mc(lumen, "mail");
    await cancelTask(db, { organizationId: lumen, taskId: task.id, now });
  }

  it("leaves the outbox alone without SMTP", async () => {
    await pendingMail();
    const previous = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      expect(await sendPendingEmail(db)).toEqual({ sent: 0, failed: 0 });
    } finally {
      if (previous !== undefined) process.env.SMTP_URL = previous;
    }
    expect((await db.select().from(emailOutbox)).every((m) => m.sentAt === null)).toBe(true);
  });

  it("sends pending messages once and keeps failures for a later try", async () => {
    await pendingMail();
    const sent: string[] = [];
    const transport: MailTransport = {
      sendMail: async (message) => {
        if (message.to === "ines.fabre@lumen.test") throw new Error("mailbox unavailable");
        sent.push(String(message.to));
      },
    };
    expect(await sendPendingEmail(db, { transport, now: later })).toEqual({ sent: 1, failed: 1 });
    expect(sent).toEqual(["customer@hearth.test"]);
    const rows = await db.select().from(emailOutbox).orderBy(asc(emailOutbox.toAddress));
    expect(rows).toMatchObject([
      { toAddress: "customer@hearth.test", sentAt: later, attempts: 1, lastError: null },
      { toAddress: "ines.fabre@lumen.test", sentAt: null, attempts: 1, lastError: "mailbox unavailable" },
    ]);
    // The failing one is tried again until MAX_EMAIL_ATTEMPTS, then left for staff.
    for (let i = 1; i < MAX_EMAIL_ATTEMPTS; i++) await sendPendingEmail(db, { transport, now: later });
    expect(await sendPendingEmail(db, { transport, now: later })).toEqual({ sent: 0, failed: 0 });
    expect(sent).toEqual(["customer@hearth.test"]);
  });
});

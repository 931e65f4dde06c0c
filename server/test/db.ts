import { eq, inArray, sql } from "drizzle-orm";
import { afterAll } from "vitest";
import { createCaller } from "@/server/api/root";
import { loadSessionUser } from "@/server/auth/authenticate";
import { closeDb, createDb, type Db } from "@/server/db/client";
import { gatewayCredentials, gateways, organizations, users, userSessions } from "@/server/db/schema";

/**
 * The test database: a fresh, migrated and seeded PostgreSQL database made by `npm test`
 * (scripts/test.ts), passed in DATABASE_URL.
 */
export function useTestDb(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the tests with `npm test`, which prepares a fresh database.");
  const db = createDb(url, { maxConnections: 4 });
  afterAll(() => closeDb(db));
  return db;
}

export async function userIdByEmail(db: Db, email: string) {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no seeded user ${email}`);
  return row.id;
}

/** A seeded user as a session of theirs, begun now, loads them. */
export async function sessionUserByEmail(db: Db, email: string) {
  const userId = await userIdByEmail(db, email);
  const [session] = await db.insert(userSessions).values({ userId, startedAt: new Date() }).returning({ id: userSessions.id });
  return loadSessionUser(db, { userId, sessionId: session!.id });
}

/** A tRPC caller acting as a seeded user, or as nobody. */
export async function callerAs(db: Db, email: string | null) {
  if (email === null) return createCaller({ db, user: null });
  return createCaller({ db, user: await sessionUserByEmail(db, email) });
}

/** Empties the engine's tables (tasks, instances, radiator state, telemetry) and billing's ledgers, keeping the seeded fleet. */
export async function resetEngine(db: Db) {
  await db.execute(sql`truncate instance_logs, instance_outputs, energy_allocations, meter_anomalies, instance_attempts, instances,
    task_dependencies, tasks, jobs, radiator_states, telemetry_readings, telemetry_hourly, telemetry_daily, gateway_reports,
    notifications, log_read_cursors, task_artifacts, credit_entries, task_charges, organization_budgets`);
}

/**
 * Leaves the seeded fleet as other test files expect it, after a file that drove gateways: no
 * engine rows, the credentials issued to those gateways (by id or serial) gone, nothing seen.
 */
export async function leaveFleetAsSeeded(db: Db, drove: { gatewayIds?: readonly string[]; gatewaySerials?: readonly string[] }) {
  await resetEngine(db);
  const ids = [...(drove.gatewayIds ?? [])];
  if (drove.gatewaySerials && drove.gatewaySerials.length > 0) {
    const bySerial = await db.select({ id: gateways.id }).from(gateways).where(inArray(gateways.serial, [...drove.gatewaySerials]));
    ids.push(...bySerial.map((g) => g.id));
  }
  if (ids.length > 0) await db.delete(gatewayCredentials).where(inArray(gatewayCredentials.gatewayId, ids));
  await db.execute(sql`update radiators set last_seen_at = null where last_seen_at is not null`);
  await db.execute(sql`update gateways set last_seen_at = null where last_seen_at is not null`);
}

export async function organizationIdByName(db: Db, name: string) {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, name));
  if (!row) throw new Error(`no seeded organization ${name}`);
  return row.id;
}

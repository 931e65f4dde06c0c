import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Db } from "@/server/db/client";
import { apiKeys, customerQuotas, gateways, radiators, radiatorStates } from "@/server/db/schema";
import type { DeviceEvent } from "@/server/device/protocol";
import { handleReport } from "@/server/device/report";
import { createApiKey } from "@/server/services/api-keys";
import { assignWork, type Assignment } from "@/server/services/scheduler";
import { leaveFleetAsSeeded, organizationIdByName, resetEngine, userIdByEmail } from "@/server/test/db";
import { serveHandler } from "@/server/test/http-server";
import { handleRestRequest, type RestOptions } from "./http";

/**
 * For the REST API's tests (not used by the app): the API served over real HTTP with node:http,
 * a client that speaks to it as an SDK does, a small fleet to run instances on, driven through
 * the scheduler and the device protocol's report handler, and the harness of a test file
 * (useRestHarness) that sets these up for seeded customers and cleans up after them.
 */

export type RestServer = { baseUrl: string; close: () => Promise<void> };

export async function serveRest(db: Db, options: () => RestOptions): Promise<RestServer> {
  const server = await serveHandler((request) => handleRestRequest(request, db, options()));
  return { baseUrl: `${server.origin}/api/v1`, close: server.close };
}

// Bodies are JSON of many shapes, or text; tests read them loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; headers: Headers; body: any; text: string };

/** A client of the API, as Qarnot's SDK is: the bare key in Authorization, JSON bodies. */
export class ApiClient {
  constructor(
    public baseUrl: string,
    public key: string | null,
  ) {}

  async call(method: string, path: string, opts: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { "User-Agent": "qarnot-sdk-python/2.20.0", ...opts.headers };
    if (this.key !== null) headers.Authorization = this.key;
    let body = opts.body;
    if (opts.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.json);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: "manual" });
    const text = await res.text();
    const isJson = (res.headers.get("content-type") ?? "").startsWith("application/json");
    return { status: res.status, headers: res.headers, text, body: isJson && text ? JSON.parse(text) : text };
  }

  get = (path: string) => this.call("GET", path);
  post = (path: string, json?: unknown) => this.call("POST", path, json === undefined ? {} : { json });
  put = (path: string, json: unknown) => this.call("PUT", path, { json });
  delete = (path: string) => this.call("DELETE", path);
}

/**
 * Radiators of one seeded gateway that want heat, so that the scheduler gives them work, and the
 * gateway's reports (through the protocol's own handler) that start, log and end that work.
 */
export class TestFleet {
  private seq = 0;
  gatewayId = "";
  radiatorIds: string[] = [];

  constructor(
    private readonly db: Db,
    private readonly gatewaySerial = "QBOX-PAR-A-209",
  ) {}

  async load() {
    const [gateway] = await this.db.select({ id: gateways.id }).from(gateways).where(eq(gateways.serial, this.gatewaySerial));
    this.gatewayId = gateway!.id;
    const rows = await this.db
      .select({ id: radiators.id })
      .from(radiators)
      .where(eq(radiators.gatewayId, this.gatewayId))
      .orderBy(radiators.serial);
    this.radiatorIds = rows.map((r) => r.id);
    return this;
  }

  /** After resetEngine: reports are numbered from 1 again. */
  reset() {
    this.seq = 0;
  }

  /** Each radiator reads now and wants `cores` cores of work. */
  async wantHeat(now: Date, cores = 8) {
    for (const radiatorId of this.radiatorIds) {
      await this.db
        .insert(radiatorStates)
        .values({ radiatorId, coresWanted: cores, lastReadingAt: now })
        .onConflictDoUpdate({ target: radiatorStates.radiatorId, set: { coresWanted: cores, lastReadingAt: now } });
    }
  }

  /** The scheduler's round over these radiators. */
  dispatch(now: Date): Promise<Assignment[]> {
    return assignWork(this.db, { now, radiatorIds: this.radiatorIds });
  }

  /** A report of the gateway carrying `events` (no readings). */
  report(now: Date, events: DeviceEvent[]) {
    return handleReport(this.db, this.gatewayId, { protocolVersion: 1, seq: ++this.seq, sentAt: now.toISOString(), radiators: [], events }, now);
  }

  started = (attemptId: number, at: Date): DeviceEvent => ({ type: "started", attemptId, at: at.toISOString() });
  log = (attemptId: number, at: Date, stream: "stdout" | "stderr", chunkSeq: number, content: string): DeviceEvent => ({
    type: "log",
    attemptId,
    at: at.toISOString(),
    stream,
    chunkSeq,
    content,
  });
  output = (attemptId: number, at: Date, name: string, content: string): DeviceEvent => ({
    type: "output",
    attemptId,
    at: at.toISOString(),
    name,
    contentType: "text/plain",
    contentBase64: Buffer.from(content).toString("base64"),
  });
  exit = (attemptId: number, at: Date, outcome: "succeeded" | "failed" | "cancelled", exitCode: number | null = outcome === "succeeded" ? 0 : 1): DeviceEvent => ({
    type: "exit",
    attemptId,
    at: at.toISOString(),
    outcome,
    exitCode,
  });
}

const CUSTOMERS = {
  lumen: { organization: "Lumen Animation Studio", email: "customer@hearth.test" },
  carmin: { organization: "Carmin Risk Analytics", email: "customer2@hearth.test" },
};
type CustomerName = keyof typeof CUSTOMERS;

/** A seeded customer's client, with the API key useRestHarness made for it. */
export class CustomerClient extends ApiClient {
  declare key: string;
  organizationId = "";
  keyId = "";
}

/**
 * What a REST test file stands on. Before its tests: the API served on `db` with the file's own
 * `options` (its clock, its limiter), an API key named `keyName` for each of `customers` ("lumen":
 * Lumen Animation Studio's customer@hearth.test, "carmin": Carmin Risk Analytics's
 * customer2@hearth.test; both unless told) and the seeded fleet loaded. Before each test: the
 * engine emptied, those customers' quotas removed, the fleet's reports numbered from 1. After
 * them all: the server closed, the fleet left as seeded, the keys (and any pushed on `keyIds`)
 * and the quotas deleted. What it returns is filled in before the tests: read it in them.
 */
export function useRestHarness<C extends CustomerName = CustomerName>(
  db: Db,
  opts: { keyName: string; options: () => RestOptions; customers?: readonly C[] },
) {
  const names = opts.customers ?? (Object.keys(CUSTOMERS) as C[]);
  const customers = Object.fromEntries(names.map((name) => [name, new CustomerClient("", "")])) as Record<C, CustomerClient>;
  const server = { baseUrl: "" };
  const anonymous = new ApiClient("", null);
  const fleet = new TestFleet(db);
  const keyIds: string[] = [];
  let served: RestServer | undefined;
  const deleteQuotas = () => db.delete(customerQuotas).where(inArray(customerQuotas.organizationId, names.map((name) => customers[name].organizationId)));

  beforeAll(async () => {
    served = await serveRest(db, opts.options);
    server.baseUrl = anonymous.baseUrl = served.baseUrl;
    for (const name of names) {
      const organizationId = await organizationIdByName(db, CUSTOMERS[name].organization);
      const made = await createApiKey(db, { organizationId, userId: await userIdByEmail(db, CUSTOMERS[name].email), name: opts.keyName });
      keyIds.push(made.id);
      Object.assign(customers[name], { baseUrl: served.baseUrl, key: made.key, keyId: made.id, organizationId });
    }
    await fleet.load();
  });

  afterAll(async () => {
    await served?.close();
    await leaveFleetAsSeeded(db, {});
    await db.delete(apiKeys).where(inArray(apiKeys.id, keyIds));
    await deleteQuotas();
  });

  beforeEach(async () => {
    await resetEngine(db);
    await deleteQuotas();
    fleet.reset();
  });

  return { server, anonymous, fleet, keyIds, ...customers };
}

/** Python's datetime.strptime formats the SDK tries for creationDate: "%Y-%m-%dT%H:%M:%SZ", then with ".%f". */
export const SDK_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

/** The SDK's time spans: "[d.]hh:mm:ss[.f]" (qarnot/_util.py parse_timedelta). */
export const SDK_TIMESPAN = /^(?:\d+\.)?\d{2}:\d{2}:\d{2}(?:\.\d+)?$/;


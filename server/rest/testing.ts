import { eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { gateways, radiators, radiatorStates } from "@/server/db/schema";
import type { DeviceEvent } from "@/server/device/protocol";
import { handleReport } from "@/server/device/report";
import { assignWork, type Assignment } from "@/server/services/scheduler";
import { serveHandler } from "@/server/test/http-server";
import { handleRestRequest, type RestOptions } from "./http";

/**
 * For the REST API's tests (not used by the app): the API served over real HTTP with node:http,
 * a client that speaks to it as an SDK does, and a small fleet to run instances on, driven
 * through the scheduler and the device protocol's report handler.
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
    readonly baseUrl: string,
    readonly key: string | null,
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

  /** Leaves the seeded fleet as other test files expect it: never seen. */
  async forget() {
    await this.db.execute(sql`update radiators set last_seen_at = null where last_seen_at is not null`);
    await this.db.execute(sql`update gateways set last_seen_at = null where last_seen_at is not null`);
  }
}

/** Python's datetime.strptime formats the SDK tries for creationDate: "%Y-%m-%dT%H:%M:%SZ", then with ".%f". */
export const SDK_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

/** The SDK's time spans: "[d.]hh:mm:ss[.f]" (qarnot/_util.py parse_timedelta). */
export const SDK_TIMESPAN = /^(?:\d+\.)?\d{2}:\d{2}:\d{2}(?:\.\d+)?$/;


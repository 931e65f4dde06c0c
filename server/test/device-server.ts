import { getDb } from "@/server/db/client";
import { handleDeviceRequest } from "@/server/device/http";
import { serveHandler } from "./http-server";

/**
 * The device protocol alone, served over HTTP on a free port by a process of its own, for tests
 * that kill the app or cut its database connections (server/device/faults.test.ts). It opens the
 * database as the app does (getDb, from DATABASE_URL; PGAPPNAME names its connections) and prints
 * one line, `{"origin": "http://127.0.0.1:PORT"}`, once it listens.
 *
 *   DATABASE_URL=postgres://… PGAPPNAME=name node --import tsx server/test/device-server.ts
 */
const db = getDb();
const server = await serveHandler((request) => handleDeviceRequest(request, db));
process.stdout.write(`${JSON.stringify({ origin: server.origin })}\n`);

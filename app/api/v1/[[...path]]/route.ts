import { getDb, getReadDb } from "@/server/db/client";
import { handleRestRequest } from "@/server/rest/http";

/**
 * The Qarnot-compatible REST API (docs/rest-api.md). One catch-all route: the dispatcher in
 * server/rest/ matches paths and methods, so unknown paths and methods get JSON errors too.
 */
const handle = (request: Request) => handleRestRequest(request, getDb());
// Reads go through the pool whose statements time out (a 503 that asks to try again).
const read = (request: Request) => handleRestRequest(request, getReadDb());

export const GET = read;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
export const PATCH = handle;

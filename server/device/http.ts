import type { Db } from "@/server/db/client";
import { authenticateGateway } from "@/server/services/gateway-credentials";
import { discoveryResponse, LIMITS, reportSchema } from "./protocol";
import { handleReport, ReportRejectedError } from "./report";

/**
 * The device protocol over HTTP, as a plain `Request → Response` function: the Next.js routes
 * under app/api/device/ call it, and tests serve it with node:http.
 */

const BASE_PATH = "/api/device/v1";
const MAX_ISSUES = 50;

const HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store",
  // The proxy does not run on device routes (large bodies); the API policy is set here instead.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, ...headers } });
}

export async function handleDeviceRequest(request: Request, db: Db, opts: { now?: () => Date } = {}): Promise<Response> {
  const now = opts.now ?? (() => new Date());
  const path = new URL(request.url).pathname.replace(/\/+$/, "");
  try {
    if (path === BASE_PATH) {
      if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, HEAD");
      return json(200, { ...discoveryResponse, serverTime: now().toISOString() });
    }
    if (path === `${BASE_PATH}/report`) {
      if (request.method !== "POST") return methodNotAllowed("POST");
      return await postReport(request, db, now);
    }
    return json(404, { error: `no such endpoint: ${request.method} ${path}; see GET ${BASE_PATH}` });
  } catch (err) {
    console.error("device protocol:", err);
    return json(500, { error: "internal error; retry the same report later" });
  }
}

function methodNotAllowed(allow: string) {
  return json(405, { error: `method not allowed; use ${allow}` }, { Allow: allow });
}

async function postReport(request: Request, db: Db, now: () => Date): Promise<Response> {
  // Authenticate before reading up to 16 MiB from a stranger.
  const authorization = request.headers.get("authorization");
  const gateway = await authenticateGateway(db, authorization, now());
  if (!gateway) {
    const challenge = authorization ? 'Bearer realm="hearth-device", error="invalid_token"' : 'Bearer realm="hearth-device"';
    return json(401, { error: "missing, unknown or revoked gateway credential" }, { "WWW-Authenticate": challenge });
  }

  const encoding = request.headers.get("content-encoding");
  if (encoding && encoding.toLowerCase() !== "identity") {
    return json(415, { error: `Content-Encoding ${encoding} is not supported; send plain JSON` });
  }
  const body = await readBody(request, LIMITS.maxBodyBytes);
  if (body === "too-large") {
    return json(413, {
      error: `report larger than ${LIMITS.maxBodyBytes} bytes; send fewer readings or events per report`,
      maxBytes: LIMITS.maxBodyBytes,
    });
  }

  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : "body is not UTF-8";
    return invalidReport([{ field: "", message: `body is not valid JSON: ${reason}` }]);
  }
  const parsed = reportSchema.safeParse(payload);
  if (!parsed.success) {
    return invalidReport(parsed.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message })));
  }

  try {
    const response = await handleReport(db, gateway.gatewayId, parsed.data, now());
    return json(200, response);
  } catch (err) {
    if (err instanceof ReportRejectedError) {
      if (err.status === 400) return invalidReport([{ field: err.field, message: err.message }]);
      return json(err.status, { error: err.message, field: err.field });
    }
    throw err;
  }
}

function invalidReport(issues: Array<{ field: string; message: string }>) {
  return json(400, { error: "invalid report", issues: issues.slice(0, MAX_ISSUES), issueCount: issues.length });
}

/** The body, or "too-large" as soon as it passes `maxBytes` (declared or actually sent). */
async function readBody(request: Request, maxBytes: number): Promise<Uint8Array | "too-large"> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) return "too-large";
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return "too-large";
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

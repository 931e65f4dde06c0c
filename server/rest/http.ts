import { organizationGateKey, tenantReads } from "@/server/api/tenant-gate";
import type { Db } from "@/server/db/client";
import { authenticateApiKey } from "@/server/services/api-keys";
import { hasControlCharacters } from "@/server/domain/text";
import { badRequest, errorReply, RestError } from "./errors";
import { json } from "./responses";
import { INPUT_LIMITS, NO_CONTROL_CHARACTERS } from "./input";
import { RATE_LIMIT, TokenBucketLimiter } from "./rate-limit";
import type { ApiAuth, RestContext } from "./context";
import { ROUTES, type Route } from "./routes";

/**
 * The REST API (Qarnot-compatible, docs/rest-api.md) as a plain `Request → Response` function:
 * the Next.js route app/api/v1/[[...path]]/route.ts calls it, and tests serve it with node:http.
 */

export const BASE_PATH = "/api/v1";

const processLimiter = new TokenBucketLimiter(RATE_LIMIT.ratePerS, RATE_LIMIT.burst);

export type RestOptions = {
  now?: () => Date;
  limiter?: TokenBucketLimiter;
  /** The clock of the rate limiter (monotonic in production). */
  nowMs?: () => number;
};

function errorResponse(err: unknown): Response {
  const { status, message, field, headers } = errorReply(err);
  return json(status, field ? { message, field } : { message }, headers);
}

/** The key of an `Authorization` header: Qarnot sends the bare key; "Bearer <key>" is accepted too. */
function apiKeyOf(header: string | null): string | null {
  if (!header) return null;
  const value = header.trim().replace(/^Bearer[ \t]+/i, "");
  if (value === "" || value.length > 200 || /\s/.test(value)) return null;
  return value;
}

type Match = { route: Route; params: Record<string, string> };

function matchPath(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split("/").filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i]!;
    if (part.startsWith("{")) params[part.slice(1, -1)] = seg;
    else if (part !== seg) return null;
  }
  return params;
}

/** The route for a path and method: literal segments win over parameters ("/tasks/paginate" is not a task). */
function findRoute(method: string, segments: string[]): Match | { allow: string[] } | null {
  let best: Match[] = [];
  let bestLiterals = -1;
  for (const route of ROUTES) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    const literals = route.path.split("/").filter((p) => p && !p.startsWith("{")).length;
    if (literals > bestLiterals) {
      best = [];
      bestLiterals = literals;
    }
    if (literals === bestLiterals) best.push({ route, params });
  }
  if (best.length === 0) return null;
  const wanted = method === "HEAD" ? "GET" : method;
  return best.find((m) => m.route.method === wanted) ?? { allow: [...new Set(best.map((m) => m.route.method))] };
}

export async function handleRestRequest(request: Request, db: Db, opts: RestOptions = {}): Promise<Response> {
  const now = (opts.now ?? (() => new Date()))();
  const url = new URL(request.url);
  try {
    if (!url.pathname.startsWith(BASE_PATH)) throw new RestError(404, "Not an API path.");
    let segments: string[];
    try {
      segments = url.pathname.slice(BASE_PATH.length).split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new RestError(400, "path: is not valid URL encoding (a % must start a UTF-8 sequence such as %C3%A9).", "path");
    }
    const found = findRoute(request.method, segments);
    if (!found) {
      throw new RestError(404, `No such endpoint: ${request.method} ${url.pathname}. The API is described at GET ${BASE_PATH}/openapi.json.`);
    }
    if ("allow" in found) {
      const allow = found.allow.join(", ");
      throw new RestError(405, `Method ${request.method} is not allowed here; use ${allow}.`, undefined, { Allow: allow });
    }

    let auth: ApiAuth | null = null;
    if (found.route.auth) {
      const key = apiKeyOf(request.headers.get("authorization"));
      auth = key ? await authenticateApiKey(db, key, now) : null;
      if (!auth) {
        throw new RestError(
          401,
          key
            ? "Unknown or revoked API key."
            : "Missing API key: send it in the Authorization header (create one on the API keys page of the compute portal).",
        );
      }
      const decision = (opts.limiter ?? processLimiter).take(auth.apiKeyId, (opts.nowMs ?? (() => performance.now()))());
      if (!decision.ok) {
        throw new RestError(429, `Too many requests for this API key; retry in ${decision.retryAfterS} s.`, undefined, {
          "Retry-After": String(decision.retryAfterS),
        });
      }
    }

    checkPlainText(found.params, url.searchParams);

    const ctx: RestContext = {
      request,
      db,
      now,
      url,
      params: found.params,
      auth: auth ?? { organizationId: "", userId: null, apiKeyId: "" },
      body: () => readJsonBody(request),
    };
    // An account's reads take turns with its other reads, the portal's included.
    const response =
      auth && found.route.method === "GET"
        ? await tenantReads().run(organizationGateKey(auth.organizationId), () => found.route.handler(ctx))
        : await found.route.handler(ctx);
    if (request.method === "HEAD") return new Response(null, { status: response.status, headers: response.headers });
    return response;
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * Path parameters and query parameters are names and references: a control character (a NUL
 * PostgreSQL cannot even take) is refused, naming the parameter.
 */
function checkPlainText(params: Record<string, string>, query: URLSearchParams) {
  for (const [name, value] of Object.entries(params)) {
    if (hasControlCharacters(value)) throw badRequest(name, NO_CONTROL_CHARACTERS);
  }
  for (const [name, value] of query) {
    if (hasControlCharacters(name)) throw badRequest("query", `parameter names ${NO_CONTROL_CHARACTERS}`);
    if (hasControlCharacters(value)) throw badRequest(name, NO_CONTROL_CHARACTERS);
  }
}

/** The body as JSON; 413 as soon as it passes the limit (declared or actually sent). */
export async function readJsonBody(request: Request): Promise<unknown> {
  const max = INPUT_LIMITS.maxBodyBytes;
  const tooLarge = () =>
    new RestError(413, `The body is larger than ${max} bytes; send fewer tasks per request or smaller constants.`);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > max) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  if (total === 0) return undefined;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : "it is not UTF-8";
    throw new RestError(400, `The body is not valid JSON: ${reason}`, "body");
  }
}

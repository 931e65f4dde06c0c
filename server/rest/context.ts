import type { Db } from "@/server/db/client";

/** The account an API key acts for. */
export type ApiAuth = { organizationId: string; userId: string | null; apiKeyId: string };

export type RestContext = {
  request: Request;
  db: Db;
  /** The request's time, for everything it records. */
  now: Date;
  url: URL;
  /** Path parameters by name, decoded. */
  params: Record<string, string>;
  auth: ApiAuth;
  /** The JSON body (undefined when empty); 413 past INPUT_LIMITS.maxBodyBytes, 400 when not JSON. */
  body: () => Promise<unknown>;
};

/** Lists (GET /tasks, GET /jobs/{uuid}/tasks) return at most this many, newest first; paginate for more. */
export const MAX_LISTED = 1000;
/** GET stdout/stderr returns the last this many characters, like Qarnot's circular buffer. */
export const MAX_LOG_TEXT_CHARS = 4 * 1024 * 1024;

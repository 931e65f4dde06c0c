import { TASK_STATES } from "@/server/domain/task-state";
import type { TaskFilter } from "@/server/services/task-queries";
import { badRequest } from "./errors";
import type { ApiFilter } from "./input";

/**
 * Qarnot's pagination: the client posts {filter, token, maximumResults} and gets back
 * {data, token, nextToken, isTruncated}; it passes nextToken to get the next page. Hearth's token
 * is an opaque page number and size. Pages are counted from the newest task, so a task created
 * while a client walks the pages shifts the later pages by one (it may see a task twice).
 */

export const DEFAULT_PAGE_SIZE = 50;

type Cursor = { page: number; pageSize: number };

export function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify({ p: c.page, n: c.pageSize })).toString("base64url");
}

export function decodeToken(token: string | null | undefined, maximumResults: number | null | undefined, maxPageSize: number): Cursor {
  if (!token) return { page: 1, pageSize: maximumResults ?? Math.min(DEFAULT_PAGE_SIZE, maxPageSize) };
  try {
    const { p, n } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { p: unknown; n: unknown };
    if (Number.isSafeInteger(p) && Number.isSafeInteger(n) && (p as number) >= 1 && (n as number) >= 1 && (n as number) <= maxPageSize) {
      return { page: p as number, pageSize: n as number };
    }
  } catch {
    // fall through
  }
  throw badRequest("token", "is not a token this API gave (pass the nextToken of the previous page, or null)");
}

export function pageReply<T>(data: T[], cursor: Cursor, total: number, token: string | null | undefined) {
  const more = cursor.page * cursor.pageSize < total;
  return {
    data,
    token: token ?? null,
    nextToken: more ? encodeToken({ page: cursor.page + 1, pageSize: cursor.pageSize }) : null,
    isTruncated: more,
    hearth: { total },
  };
}


const SUPPORTED = "Hearth filters tasks with Equal on Tags, State, Profile or JobUuid, alone or joined by And";

/** Qarnot's filter tree → the services' TaskFilter; anything it cannot express is a 400. */
export function taskFilterOf(filter: ApiFilter | null | undefined): TaskFilter {
  const out: TaskFilter = {};
  if (!filter) return out;
  const set = <K extends keyof TaskFilter>(key: K, value: TaskFilter[K], field: string) => {
    if (out[key] !== undefined && out[key] !== value) {
      throw badRequest("filter", `two different values for ${field} cannot both match (Or of values is not supported). ${SUPPORTED}.`);
    }
    out[key] = value;
  };
  const leaf = (f: ApiFilter) => {
    if (f.operator !== "Equal") throw badRequest("filter.operator", `${JSON.stringify(f.operator)} is not supported. ${SUPPORTED}.`);
    if (typeof f.value !== "string") throw badRequest("filter.value", "must be a string");
    switch (f.field?.toLowerCase()) {
      case "tags":
      case "tag":
        return set("tag", f.value, "Tags");
      case "state": {
        const state = TASK_STATES.find((s) => s.toLowerCase() === String(f.value).toLowerCase());
        if (!state) throw badRequest("filter.value", `${JSON.stringify(f.value)} is not a task state (${TASK_STATES.join(", ")})`);
        return set("state", state, "State");
      }
      case "profile":
        return set("profile", f.value, "Profile");
      case "jobuuid":
        return set("jobId", f.value, "JobUuid");
      default:
        throw badRequest("filter.field", `${JSON.stringify(f.field)} cannot be filtered on. ${SUPPORTED}.`);
    }
  };
  const children = filter.filters ?? [];
  if (filter.operator === "And" || (filter.operator === "Or" && children.length === 1)) {
    for (const child of children) {
      if (child.filters) throw badRequest("filter", `nested filters are not supported. ${SUPPORTED}.`);
      leaf(child);
    }
  } else if (filter.operator === "Or") {
    throw badRequest("filter.operator", `"Or" of several conditions is not supported. ${SUPPORTED}.`);
  } else {
    leaf(filter);
  }
  return out;
}

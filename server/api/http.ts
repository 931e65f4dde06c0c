import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPC_MAX_BATCH_CALLS } from "@/server/domain/api-limits";
import { appRouter } from "./root";
import type { Context } from "./trpc";

const TRPC_ENDPOINT = "/api/trpc";

/**
 * Answers one tRPC HTTP request. A batch of more than TRPC_MAX_BATCH_CALLS calls is refused
 * whole, with a 400 that says how to split it, before any call runs.
 */
export async function handleTrpcRequest(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  const url = new URL(req.url);
  if (url.searchParams.get("batch") === "1") {
    const calls = url.pathname.slice(TRPC_ENDPOINT.length + 1).split(",").length;
    if (calls > TRPC_MAX_BATCH_CALLS) {
      const message =
        `A request may carry at most ${TRPC_MAX_BATCH_CALLS} procedure calls; this one has ${calls}. ` +
        `Send them in several requests (httpBatchLink's maxItems: ${TRPC_MAX_BATCH_CALLS}).`;
      return Response.json({ error: { message, code: "BAD_REQUEST", data: { httpStatus: 400 } } }, { status: 400 });
    }
  }
  return fetchRequestHandler({ endpoint: TRPC_ENDPOINT, req, router: appRouter, createContext });
}

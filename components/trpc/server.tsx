import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cache, type ReactNode } from "react";
import { createRequestContext } from "@/server/api/request-context";
import { appRouter } from "@/server/api/root";
import { makeQueryClient } from "./query-client";

/** The QueryClient of one server render: pages prefetch into it, HydrateClient hands it to the browser. */
export const getQueryClient = cache(makeQueryClient);

/**
 * Query options for server components, with the same keys as `useTRPC()` in the browser:
 * `await getQueryClient().prefetchQuery(trpc.compute.instances.queryOptions({ taskId, page: 1 }))`
 * renders a client component's first state on the server, then it polls on its own. Not for data
 * of unbounded size on a page that refreshes itself: each refresh would send it again.
 */
export const trpc = createTRPCOptionsProxy({ ctx: createRequestContext, router: appRouter, queryClient: getQueryClient });

/** Hands what the page prefetched to the client components below it. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { TRPC_MAX_BATCH_CALLS } from "@/server/domain/api-limits";
import { TRPCProvider } from "@/components/trpc/client";
import { makeQueryClient } from "@/components/trpc/query-client";

let browser: { user: string; queryClient: QueryClient } | undefined;

/**
 * On the server a QueryClient per render; in the browser one per tab, and per signed-in user:
 * after signing out and in as someone else (no page load in between), nothing cached is reused.
 */
function getQueryClient(user: string) {
  if (typeof window === "undefined") return makeQueryClient();
  if (browser?.user !== user) {
    browser?.queryClient.clear();
    browser = { user, queryClient: makeQueryClient() };
  }
  return browser.queryClient;
}

/**
 * React Query and the tRPC client for the pages below, mounted by the layouts whose pages have
 * live data. One transport: batched same-origin requests to /api/trpc, in superjson.
 */
export function TRPCReactProvider({ user, children }: { user: string; children: ReactNode }) {
  // Not in state: a render that suspends before any boundary would lose it (the browser keeps one anyway).
  const queryClient = getQueryClient(user);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: TRPC_MAX_BATCH_CALLS })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

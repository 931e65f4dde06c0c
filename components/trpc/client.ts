"use client";

/**
 * The tRPC client of client components: `useTRPC()` gives typed query options and keys for every
 * procedure, to use with React Query's own hooks, e.g.
 * `useQuery(trpc.compute.instanceGrid.queryOptions({ taskId }))`. Mounted by TRPCReactProvider.
 */
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@/server/api/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

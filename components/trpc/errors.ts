import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

/**
 * A failed live read as the pages show it: a record that is gone, or no longer the viewer's
 * (signed out, another account), reads "Not found."; any other refusal or fault keeps its own
 * sentence (faults answer an id, never their internal message).
 */
export function readErrorMessage(error: unknown, fallback: string): string {
  if (error instanceof TRPCClientError) {
    const code = (error as TRPCClientError<AppRouter>).data?.code;
    if (code === "NOT_FOUND" || code === "UNAUTHORIZED" || code === "FORBIDDEN") return "Not found.";
    return error.message || fallback;
  }
  return error instanceof Error && error.message ? error.message : fallback;
}

/** The fields a refused change names, each with the server's message; null when it named none. */
export function refusedFields(error: unknown): Record<string, string> | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = (error as TRPCClientError<AppRouter>).data as { fieldErrors?: Record<string, string> | null } | undefined;
  return data?.fieldErrors ?? null;
}

/** Bad input the server refused, as against a fault or a lost connection. */
export const isRefusal = (error: unknown) =>
  error instanceof TRPCClientError && (error as TRPCClientError<AppRouter>).data?.code === "BAD_REQUEST";

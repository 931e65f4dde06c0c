import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import superjson from "superjson";
import { ZodError, ZodRealError } from "zod";
import type { Db } from "@/server/db/client";
import type { SessionUser } from "@/server/auth/authenticate";
import type { Role } from "@/server/auth/roles";
import { ConflictError, InvalidInputError, isStatementTimeout, READ_TIMEOUT_MESSAGE, ServiceError } from "@/server/services/errors";
import { dwellingOfResident } from "@/server/services/home";
import { organizationGateKey, tenantReads } from "./tenant-gate";

/** A message per input field ("radiators.0.serial") from a zod error. */
export function fieldErrorsOf(error: ZodError): Record<string, string> {
  return Object.fromEntries(error.issues.map((i) => [i.path.join("."), i.message]));
}

export type Context = { db: Db; user: SessionUser | null };

/** Each procedure records the audience it serves, so that tests can walk them all by role. */
export type Meta = { audience: Role | "public" | "any" };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        // A fault, not a refusal: its message may carry SQL or parameters. Logged with an id the answer gives.
        const errorId = randomUUID();
        console.error(`tRPC fault ${errorId}:`, error.cause ?? error);
        return {
          ...shape,
          message: `Something went wrong on our side (error ${errorId}); try again later.`,
          data: { ...shape.data, stack: undefined, fieldErrors: null },
        };
      }
      const zodError = error.cause instanceof ZodError ? error.cause : null;
      return {
        ...shape,
        data: {
          ...shape.data,
          // Field-by-field messages so that forms can show them next to their inputs.
          fieldErrors: zodError ? fieldErrorsOf(zodError) : null,
        },
      };
    },
  });

const TRPC_CODES: Record<ServiceError["kind"], TRPC_ERROR_CODE_KEY> = {
  "not-found": "NOT_FOUND",
  "invalid-input": "BAD_REQUEST",
  conflict: "CONFLICT",
  quota: "FORBIDDEN",
  budget: "PAYMENT_REQUIRED",
};

/** A service's refusal as tRPC answers it; bad input keeps its field as a zod issue, so forms show it like any other. */
export function trpcErrorOf(error: ServiceError): TRPCError {
  // The fields at fault, each beside its own message: every field of a refused input, or the one a conflict names.
  const fields =
    error instanceof InvalidInputError ? error.fields : error instanceof ConflictError && error.field ? { [error.field]: error.message } : null;
  const cause = fields
    ? // ZodRealError: the ZodError that is an Error, so tRPC keeps it as the cause.
      new ZodRealError(Object.entries(fields).map(([field, message]) => ({ code: "custom" as const, path: field.split("."), message, input: undefined })))
    : error;
  return new TRPCError({ code: TRPC_CODES[error.kind], message: error.message, cause });
}

/**
 * Whose queries take turns: a tenant's (a customer, a landlord). Staff all belong to the operator's
 * one organization but are not one tenant: each takes turns with themselves only.
 */
export const gateKeyOf = (user: SessionUser) => (user.role === "staff" ? `user:${user.id}` : organizationGateKey(user.organizationId));

/**
 * Every procedure answers services' refusals through this one mapping; a tenant's queries take
 * turns with its other reads (REST GETs too) beyond HEARTH_TENANT_READS, so that one customer's
 * batch cannot take every connection.
 */
const procedure = t.procedure.use(async ({ ctx, type, next }) => {
  const result = ctx.user && type === "query" ? await tenantReads().run(gateKeyOf(ctx.user), () => next()) : await next();
  if (!result.ok && result.error.cause instanceof ServiceError) throw trpcErrorOf(result.error.cause);
  if (!result.ok && isStatementTimeout(result.error)) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: READ_TIMEOUT_MESSAGE });
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = procedure.meta({ audience: "public" });

export const protectedProcedure = procedure.meta({ audience: "any" }).use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

function roleProcedure<R extends Role>(role: R) {
  return procedure.meta({ audience: role }).use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
    if (ctx.user.role !== role) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This is for ${role} accounts only.` });
    }
    return next({ ctx: { db: ctx.db, user: ctx.user as SessionUser & { role: R }, organizationId: ctx.user.organizationId } });
  });
}

/** Compute customers: queries are scoped to `ctx.organizationId`. */
export const customerProcedure = roleProcedure("customer");
/** Landlords and local authorities: queries are scoped to the sites of `ctx.organizationId`. */
export const landlordProcedure = roleProcedure("landlord");
/** Operator staff: the whole fleet. */
export const staffProcedure = roleProcedure("staff");
/** Residents: queries are scoped to `ctx.dwellingId`, their own home. */
export const residentProcedure = roleProcedure("resident").use(async ({ ctx, next }) =>
  next({ ctx: { ...ctx, dwellingId: await dwellingOfResident(ctx.db, { userId: ctx.user.id }) } }),
);

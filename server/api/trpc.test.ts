import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ZodError } from "zod";
import {
  BudgetExceededError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  QuotaExceededError,
  type ServiceError,
} from "@/server/services/errors";
import { sessionUserByEmail, useTestDb } from "@/server/test/db";
import { appRouter } from "./root";
import { createCallerFactory, createTRPCRouter, fieldErrorsOf, gateKeyOf, publicProcedure } from "./trpc";

const db = useTestDb();

afterEach(() => vi.restoreAllMocks());

async function thrownBy(refusal: ServiceError) {
  const router = createTRPCRouter({
    refuse: publicProcedure.query(() => {
      throw refusal;
    }),
  });
  const error = await createCallerFactory(router)({ db, user: null })
    .refuse()
    .then(
      () => null,
      (e: unknown) => e,
    );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

describe("service refusals over tRPC", () => {
  it("maps each kind of refusal to its code, with the service's sentence", async () => {
    expect(await thrownBy(new NotFoundError("Gateway"))).toMatchObject({ code: "NOT_FOUND", message: "Gateway not found." });
    expect(await thrownBy(new ConflictError("A gateway with serial X already exists."))).toMatchObject({
      code: "CONFLICT",
      message: "A gateway with serial X already exists.",
    });
    expect(await thrownBy(new QuotaExceededError("Above your quota of 10."))).toMatchObject({ code: "FORBIDDEN" });
    expect(await thrownBy(new BudgetExceededError("Above your budget of €10.00."))).toMatchObject({ code: "PAYMENT_REQUIRED" });
  });

  it("keeps an invalid input's field, so forms show it next to that field", async () => {
    const error = await thrownBy(new InvalidInputError("This room is not served by this gateway.", "roomId"));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.cause).toBeInstanceOf(ZodError);
    expect(fieldErrorsOf(error.cause as ZodError)).toEqual({ roomId: "This room is not served by this gateway." });
  });

  it("keeps every field of an input refused on several, and the field a conflict names", async () => {
    const several = await thrownBy(InvalidInputError.of({ instanceCount: "At least 1 instance.", constants: "Constant \"spot\" is required." }));
    expect(several).toMatchObject({ code: "BAD_REQUEST", message: "At least 1 instance." });
    expect(fieldErrorsOf(several.cause as ZodError)).toEqual({ instanceCount: "At least 1 instance.", constants: "Constant \"spot\" is required." });
    const taken = await thrownBy(new ConflictError("A gateway with serial X already exists.", "serial"));
    expect(taken.code).toBe("CONFLICT");
    expect(fieldErrorsOf(taken.cause as ZodError)).toEqual({ serial: "A gateway with serial X already exists." });
  });

  it("answers a fault with a generic sentence and an id, never its internal message", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const user = await sessionUserByEmail(db, "customer@hearth.test");
    const router = createTRPCRouter({
      ...appRouter._def.record,
      fault: publicProcedure.query(() => {
        throw new Error('relation "secret_table" does not exist: select * from secret_table where key = $1');
      }),
    });
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/fault"),
      router,
      createContext: () => ({ db, user }),
    });
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain("secret_table");
    expect(body).not.toMatch(/at .*\.ts:\d+/);
    const id = /error ([0-9a-f-]{36})/.exec(body)?.[1];
    expect(id).toBeDefined();
    // The id in the answer finds the fault in the log.
    expect(logged.mock.calls.some((call) => String(call[0]).includes(id!))).toBe(true);
  });
});

describe("whose queries take turns", () => {
  it("a tenant's users together, each member of the operator's staff alone", async () => {
    const staff = (await sessionUserByEmail(db, "staff@hearth.test"))!;
    const otherStaff = { ...staff, id: "00000000-0000-4000-8000-000000000001" };
    expect(gateKeyOf(staff)).not.toBe(gateKeyOf(otherStaff));
    const customer = (await sessionUserByEmail(db, "customer@hearth.test"))!;
    const colleague = { ...customer, id: "00000000-0000-4000-8000-000000000002" };
    expect(gateKeyOf(customer)).toBe(gateKeyOf(colleague));
  });
});

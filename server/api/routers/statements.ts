import { z } from "zod";
import { STATEMENT_MONTH, STATEMENT_MONTH_MESSAGE } from "@/server/domain/refund-statements";
import { getStatement, listStatements } from "@/server/services/refund-statements";
import { createTRPCRouter, residentProcedure } from "../trpc";

/** A resident's refund statements: every call is bounded by `ctx.dwellingId`. */
export const statementsRouter = createTRPCRouter({
  list: residentProcedure.query(({ ctx }) => listStatements(ctx.db, { dwellingId: ctx.dwellingId })),

  get: residentProcedure
    .input(z.object({ month: z.string(STATEMENT_MONTH_MESSAGE).regex(STATEMENT_MONTH, STATEMENT_MONTH_MESSAGE) }))
    .query(({ ctx, input }) => getStatement(ctx.db, { dwellingId: ctx.dwellingId, month: input.month })),
});

import { z } from "zod";
import { countryCode, requiredText as text } from "@/server/domain/text";
import { isMonth } from "@/server/domain/refunds";
import {
  addTariffVersion,
  listClosedMonths,
  listStatements,
  listTariffVersions,
  markPaid,
  previewClose,
  runClose,
} from "@/server/services/refunds";
import { createTRPCRouter, staffProcedure } from "../trpc";

const monthSchema = z.string().refine(isMonth, "A month is its first day, YYYY-MM-01.");

/** The monthly electricity refund, for the operator's staff: tariffs, the close of a month, payments. */
export const refundsRouter = createTRPCRouter({
  /** Every tariff version, with whether a closed month used it (then it is never changed). */
  tariffs: staffProcedure.query(({ ctx }) => listTariffVersions(ctx.db)),

  /** A new tariff version; a correction of a used one is a new version, after the last closed month. */
  addTariff: staffProcedure
    .input(
      z.object({
        country: countryCode,
        option: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "An option is lower-case letters, digits and dashes (base-6kva)."),
        label: text("label", 100),
        effectiveFrom: z.iso.date("Give the first day of the price as a date."),
        priceMicroEurosPerKWh: z
          .int("The price is a whole number of micro-euros per kWh.")
          .positive("The price is above zero.")
          .max(100_000_000, "The price is at most 100 € per kWh."),
        source: text("source", 200),
      }),
    )
    .mutation(({ ctx, input }) => addTariffVersion(ctx.db, { ...input, userId: ctx.user.id })),

  /** Closed months, newest first, with their totals and payments. */
  months: staffProcedure.query(({ ctx }) => listClosedMonths(ctx.db)),

  /** What closing the month now would write (totals, counts) and what needs a look first. */
  preview: staffProcedure.input(z.object({ month: monthSchema })).query(({ ctx, input }) => previewClose(ctx.db, input)),

  /** Closes the month: statements for enrolled dwellings not closed yet; running it again writes nothing twice. */
  runClose: staffProcedure
    .input(z.object({ month: monthSchema }))
    .mutation(({ ctx, input }) => runClose(ctx.db, { month: input.month, userId: ctx.user.id })),

  statements: staffProcedure.input(z.object({ month: monthSchema })).query(({ ctx, input }) => listStatements(ctx.db, input)),

  /** Records statements as paid; one already paid is left as it was. */
  markPaid: staffProcedure
    .input(
      z.object({
        statementIds: z.array(z.uuid()).min(1, "Choose at least one statement.").max(10_000),
        reference: text("payment reference", 100),
        paidOn: z.iso.date("Give the payment date as a date."),
      }),
    )
    .mutation(({ ctx, input }) => markPaid(ctx.db, { ...input, userId: ctx.user.id })),
});

import { z } from "zod";
import { CARBON_MONTH_RE } from "@/server/domain/carbon-report";
import { annualGridIntensities, carbonLabel } from "@/server/services/carbon";
import { carbonMonth, carbonMonths } from "@/server/services/carbon-report";
import { createTRPCRouter, customerProcedure } from "../trpc";

const datacenter = z.string().max(100).optional();

/** Carbon Facts labels of a customer's work, its monthly report, and the factors the methodology page shows. */
export const carbonRouter = createTRPCRouter({
  task: customerProcedure
    .input(z.object({ taskId: z.string().max(100), datacenter }))
    .query(({ ctx, input }) =>
      carbonLabel(ctx.db, { organizationId: ctx.organizationId }, { kind: "task", taskId: input.taskId }, { datacenter: input.datacenter }),
    ),

  job: customerProcedure
    .input(z.object({ jobId: z.string().max(100), datacenter }))
    .query(({ ctx, input }) =>
      carbonLabel(ctx.db, { organizationId: ctx.organizationId }, { kind: "job", jobId: input.jobId }, { datacenter: input.datacenter }),
    ),

  /** The customer's last twelve months, oldest first. */
  months: customerProcedure.query(({ ctx }) => carbonMonths(ctx.db, { organizationId: ctx.organizationId }, ctx.organizationId)),

  /** One month's totals and its lines per task, a page at a time. */
  month: customerProcedure
    .input(
      z.object({
        month: z.string().regex(CARBON_MONTH_RE, "A month is written YYYY-MM, for example 2026-01."),
        page: z.number({ error: "The page is a whole number from 1." }).int("The page is a whole number from 1.").min(1, "The page is a whole number from 1.").max(100_000, "There are not that many pages.").default(1),
        datacenter,
      }),
    )
    .query(({ ctx, input }) =>
      carbonMonth(ctx.db, { organizationId: ctx.organizationId }, ctx.organizationId, input.month, { page: input.page, datacenter: input.datacenter }),
    ),

  annualGridIntensities: customerProcedure.query(({ ctx }) => annualGridIntensities(ctx.db)),
});

import { z } from "zod";
import { annualGridIntensities, carbonLabel } from "@/server/services/carbon";
import { createTRPCRouter, customerProcedure } from "../trpc";

const datacenter = z.string().max(100).optional();

/** Carbon Facts labels of a customer's work, and the factors the methodology page shows. */
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

  annualGridIntensities: customerProcedure.query(({ ctx }) => annualGridIntensities(ctx.db)),
});

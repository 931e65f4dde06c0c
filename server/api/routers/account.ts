import { accountOverview } from "@/server/services/account";
import { createTRPCRouter, customerProcedure } from "../trpc";

/** A compute customer's organization and its members. */
export const accountRouter = createTRPCRouter({
  overview: customerProcedure.query(({ ctx }) => accountOverview(ctx.db, { organizationId: ctx.organizationId })),
});

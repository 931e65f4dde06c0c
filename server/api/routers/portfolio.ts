import { z } from "zod";
import { getBuilding, listBuildings } from "@/server/services/portfolio";
import { createTRPCRouter, landlordProcedure } from "../trpc";

/** A landlord's buildings: every call is bounded by sites of `ctx.organizationId`. */
export const portfolioRouter = createTRPCRouter({
  buildings: landlordProcedure.query(({ ctx }) => listBuildings(ctx.db, { organizationId: ctx.organizationId })),

  building: landlordProcedure
    .input(z.object({ buildingId: z.uuid() }))
    .query(({ ctx, input }) => getBuilding(ctx.db, { organizationId: ctx.organizationId, buildingId: input.buildingId })),
});

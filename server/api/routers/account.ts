import { TRPCError } from "@trpc/server";
import { asc, eq } from "drizzle-orm";
import { organizations, users } from "@/server/db/schema";
import { createTRPCRouter, customerProcedure } from "../trpc";

/** A compute customer's organization and its members. */
export const accountRouter = createTRPCRouter({
  overview: customerProcedure.query(async ({ ctx }) => {
    const [organization] = await ctx.db
      .select({ id: organizations.id, name: organizations.name, createdAt: organizations.createdAt })
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId));
    if (!organization) throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found." });
    const members = await ctx.db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role })
      .from(users)
      .where(eq(users.organizationId, ctx.organizationId))
      .orderBy(asc(users.name));
    return { organization, members };
  }),
});

import { centsToEuros } from "@/server/domain/billing";
import { creditBalanceCents, taskChargedCents } from "@/server/services/billing";
import { taskNotFound } from "./errors";
import { json } from "./responses";
import { taskIdOf } from "./tasks";
import type { RestContext } from "./context";

/** GET /credits/v1/tasks/{uuid}/credits: what the task has cost so far, in euros (404 for another customer's task). */
export async function taskCredits(ctx: RestContext): Promise<Response> {
  const taskId = await taskIdOf(ctx);
  const cents = await taskChargedCents(ctx.db, { organizationId: ctx.auth.organizationId, taskId });
  if (cents === null) throw taskNotFound(ctx.params.uuid!);
  return json(200, { credits: centsToEuros(cents) });
}

/** GET /credits/v1/accounts/credits: the account's prepaid balance, in euros. */
export async function accountCredits(ctx: RestContext): Promise<Response> {
  return json(200, { credits: centsToEuros(await creditBalanceCents(ctx.db, ctx.auth.organizationId)) });
}

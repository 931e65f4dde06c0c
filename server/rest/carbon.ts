import { qarnotCarbonFacts } from "@/server/domain/carbon";
import { workCarbonFacts, type CarbonSubject } from "@/server/services/carbon";
import type { RestContext } from "./context";
import { jobIdOf } from "./jobs";
import { json } from "./responses";
import { taskIdOf } from "./tasks";

/** The comparison a client asked for with ?comparisonDatacenter= (the SDK's CarbonClient sends it when set). */
const datacenterOf = (ctx: RestContext) => ctx.url.searchParams.get("comparisonDatacenter");

async function factsOf(ctx: RestContext, subject: CarbonSubject): Promise<Response> {
  const facts = await workCarbonFacts(ctx.db, { organizationId: ctx.auth.organizationId }, subject, { datacenter: datacenterOf(ctx) });
  return json(200, qarnotCarbonFacts(facts));
}

/** GET /carbon/v1/tasks/{uuid}/carbon-facts: what the SDK's get_task_carbon_facts() reads. */
export async function taskCarbonFacts(ctx: RestContext): Promise<Response> {
  return factsOf(ctx, { kind: "task", taskId: await taskIdOf(ctx) });
}

/** GET /carbon/v1/jobs/{uuid}/carbon-facts: the same for all the tasks of a job. */
export async function jobCarbonFacts(ctx: RestContext): Promise<Response> {
  return factsOf(ctx, { kind: "job", jobId: await jobIdOf(ctx) });
}

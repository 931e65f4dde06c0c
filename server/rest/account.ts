import { MONTE_CARLO_CONSTANTS } from "@/server/profiles/monte-carlo";
import { RENDER_CONSTANTS } from "@/server/profiles/render";
import { RestError } from "./errors";
import { customerProfiles } from "@/server/services/tasks";
import { DEFAULT_QUOTA } from "@/server/domain/task-limits";
import { accountFigures } from "./lookup";
import { json } from "./responses";
import type { RestContext } from "./context";

/** GET /settings: no S3-compatible storage, so the SDK opens no bucket client. */
export async function getSettings(): Promise<Response> {
  return json(200, { storage: null });
}

/** GET /info: Qarnot's user information, from the account's tasks and quota. Unknown limits are null. */
export async function getInfo(ctx: RestContext): Promise<Response> {
  const f = await accountFigures(ctx.db, ctx.auth);
  const max = f.maxActiveInstances;
  const running = Object.values(f.active).reduce((s, a) => ({ instances: s.instances + a.instances, cores: s.cores + a.cores }), { instances: 0, cores: 0 });
  // Hearth's quota counts the active instances of every scheduling type together.
  const quota = (t: keyof typeof f.active) => ({
    maxCores: null,
    runningCoresCount: f.active[t].cores,
    maxInstances: max,
    runningInstancesCount: f.active[t].instances,
  });
  return json(200, {
    email: f.email,
    maxBucket: 0,
    bucketCount: 0,
    quotaBytesBucket: 0,
    usedQuotaBytesBucket: 0,
    taskCount: f.taskCount,
    maxTask: null,
    runningTaskCount: f.runningTaskCount,
    maxRunningTask: null,
    maxInstances: max,
    maxFlexInstances: max,
    maxFlexCores: null,
    maxOnDemandInstances: max,
    maxOnDemandCores: null,
    maxPool: 0,
    poolCount: 0,
    maxRunningPool: 0,
    runningPoolCount: 0,
    runningInstanceCount: running.instances,
    runningCoreCount: running.cores,
    computingQuotas: {
      user: { flex: quota("Flex"), onDemand: quota("OnDemand"), reserved: [] },
      organization: { name: f.organizationName, flex: quota("Flex"), onDemand: quota("OnDemand"), reserved: [] },
    },
    projects: [],
    hearth: {
      jobCount: f.jobCount,
      maxActiveInstances: max,
      maxInstancesPerRequest: DEFAULT_QUOTA.maxInstancesPerRequest,
      activeInstances: running.instances,
      activeByScheduling: f.active,
    },
  });
}

type ConstantDoc = { default: string; description: string };

/** Each profile's constants with their defaults, from the tables the profile programs parse with. */
const PROFILE_CONSTANTS: Record<string, Record<string, ConstantDoc>> = {
  "monte-carlo": MONTE_CARLO_CONSTANTS,
  render: RENDER_CONSTANTS,
  "docker-batch": {
    image: { default: "", description: "Container image to run (required)" },
    command: { default: "", description: "Command to run in the container (required)" },
  },
};

/** GET /profiles: the names of the profiles a task may use. */
export async function listProfiles(ctx: RestContext): Promise<Response> {
  return json(200, (await customerProfiles(ctx.db)).map((p) => p.name));
}

/** GET /profiles/{name}: Qarnot's {name, constants: [{name, value}]}, the value being the default. */
export async function getProfile(ctx: RestContext): Promise<Response> {
  const profile = (await customerProfiles(ctx.db)).find((p) => p.name === ctx.params.name);
  if (!profile) throw new RestError(404, `No profile ${JSON.stringify(ctx.params.name)}; GET /profiles lists them.`);
  const constants = Object.entries(PROFILE_CONSTANTS[profile.name] ?? {}).map(([name, c]) => ({
    name,
    value: c.default,
    description: c.description,
  }));
  return json(200, {
    name: profile.name,
    description: profile.description,
    constants,
    hearth: {
      coresPerInstance: profile.coresPerInstance,
      minRamGb: profile.minRamGb,
      requiresContainerRuntime: profile.requiresContainerRuntime,
      expectedCoreSecondsPerInstance: profile.expectedCoreSecondsPerInstance,
    },
  });
}

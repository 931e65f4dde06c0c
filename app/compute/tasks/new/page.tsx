import type { Metadata } from "next";
import { SubmitTaskForm, type ConstantField } from "@/components/compute/submit-task-form";
import { PageTitle } from "@/components/layout/app-shell";
import { orNotFound, serverApi } from "@/server/api/request-context";
import { TASK_STATE_WORDS } from "@/server/domain/instance-vocabulary";
import { cloneDefaults, dependencyChoices } from "@/server/domain/task-clone";
import type { ConstantSpec } from "@/server/profiles/constants";
import { MONTE_CARLO_CONSTANTS } from "@/server/profiles/monte-carlo";
import { RENDER_CONSTANTS } from "@/server/profiles/render";

export const metadata: Metadata = { title: "Submit a task" };

/** Labels for the profiles' constants; their ranges, defaults and descriptions come from the profiles themselves. */
const LABELS: Record<string, string> = {
  optionType: "Option type",
  right: "Call or put",
  spot: "Spot price",
  strike: "Strike price",
  rate: "Risk-free rate (per year)",
  volatility: "Volatility (per year)",
  maturity: "Maturity (years)",
  paths: "Paths per instance",
  averagingSteps: "Averaging dates",
  seed: "Random seed",
  width: "Width (pixels)",
  height: "Height (pixels)",
  samples: "Samples per pixel",
  orbitFrames: "Frames per camera turn",
};

function fieldsOf(specs: Record<string, ConstantSpec>): ConstantField[] {
  return Object.entries(specs).map(([name, spec]) => ({
    ...spec,
    name,
    label: LABELS[name] ?? name,
    ...(name === "averagingSteps" ? { onlyWhen: { name: "optionType", value: "asian" } } : {}),
  }));
}

const CONSTANT_FIELDS: Record<string, ConstantField[]> = {
  "monte-carlo": fieldsOf(MONTE_CARLO_CONSTANTS),
  render: fieldsOf(RENDER_CONSTANTS),
  "docker-batch": [
    { kind: "text", name: "image", label: "Container image", description: "An image the nodes can pull, e.g. python:3.12-slim.", default: "", placeholder: "python:3.12-slim" },
    {
      kind: "text",
      name: "command",
      label: "Command",
      description: "What the container runs for each instance.",
      default: "",
      placeholder: "python -c 'print(1)'",
    },
  ],
};

/** The built-in profiles people use most come first; others follow by name. */
const ORDER = ["monte-carlo", "render", "docker-batch"];
const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);

export default async function NewTaskPage({ searchParams }: { searchParams: Promise<{ from?: string | string[] }> }) {
  const { from } = await searchParams;
  const api = await serverApi("customer", "/compute/tasks/new");
  const [profiles, jobs, recent, source, billing] = await Promise.all([
    api.compute.profiles(),
    api.compute.jobs({ page: 1, pageSize: 100 }),
    api.compute.tasks({ page: 1, pageSize: 50 }),
    // A clone: the task is read scoped to the account, so another account's task is not found.
    typeof from === "string" && from !== "" ? orNotFound(api.compute.task({ taskId: from })) : null,
    // Today's rates and the month's budget: the form prices the task as it is filled.
    api.billing.overview(),
  ]);
  // A clone keeps dependencies older than the recent tasks the form lists: they are read one by one.
  const listed = new Set(recent.tasks.map((t) => t.id));
  const olderDependencies = source
    ? (await Promise.all(source.dependsOn.filter((id) => !listed.has(id)).map((id) => api.compute.task({ taskId: id }).catch(() => null)))).filter(
        (t) => t !== null,
      )
    : [];
  const defaults = source ? cloneDefaults(source, (CONSTANT_FIELDS[source.profileName] ?? []).map((f) => f.name)) : undefined;
  return (
    <>
      <PageTitle
        title={source ? `Submit a copy of ${source.name}` : "Submit a task"}
        back={source ? { href: `/compute/tasks/${source.id}`, label: source.name } : { href: "/compute/tasks", label: "Tasks" }}
        subtitle={source ? "Every setting of the task, to change before you submit." : "One task runs many instances of a profile."}
      />
      <SubmitTaskForm
        profiles={[...profiles].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))}
        constantFields={CONSTANT_FIELDS}
        jobs={jobs.jobs.filter((j) => j.state === "Active").map((j) => ({ id: j.id, label: j.shortname ? `${j.name} (${j.shortname})` : j.name }))}
        recentTasks={dependencyChoices(recent.tasks, olderDependencies).map((t) => ({ id: t.id, label: `${t.name} · ${t.shortname ?? t.id.slice(0, 8)} · ${TASK_STATE_WORDS[t.state]}` }))}
        defaults={defaults}
        billing={{ rates: billing.rates, budget: billing.budget, monthChargedCents: billing.monthChargedCents }}
      />
    </>
  );
}

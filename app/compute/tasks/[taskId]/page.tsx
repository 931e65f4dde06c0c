import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/compute/auto-refresh";
import {
  formatBytes,
  formatCoreSeconds,
  formatDuration,
  formatEnergyWh,
  formatEta,
  formatPrice,
  INSTANCE_STATE_STYLES,
  isActiveTaskState,
} from "@/components/compute/format";
import { InstanceGrid } from "@/components/compute/instance-grid";
import { LogTail } from "@/components/compute/log-tail";
import { TaskActions } from "@/components/compute/task-actions";
import { InstanceCounts, TaskProgress, TaskStateBadge } from "@/components/compute/task-state";
import { TaskWorkbench } from "@/components/compute/task-workbench";
import { INSTANCE_STATES, type InstanceState, type InstanceView, type OutputView, type TaskDetail, type TaskResult } from "@/components/compute/types";
import { PageTitle } from "@/components/layout/app-shell";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDateTime, formatInteger } from "@/components/format";
import { orNotFound, serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Task" };

const INSTANCES_PAGE_SIZE = 25;
const OUTPUTS_PAGE_SIZE = 50;

type Search = { ipage?: string; istate?: string; opage?: string };

const pageOf = (v: unknown) => Math.max(1, Math.min(100_000, Number.parseInt(typeof v === "string" ? v : "1", 10) || 1));

/** The grid's instance numbers as consecutive runs and their states as one digit each. */
function compactGrid(grid: { numbers: number[]; states: string[] }) {
  const index = new Map<string, number>(INSTANCE_STATES.map((s, i) => [s, i]));
  const runs: Array<[number, number]> = [];
  for (const n of grid.numbers) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return { runs, codes: grid.states.map((s) => index.get(s) ?? 1).join("") };
}

export default async function TaskPage({ params, searchParams }: { params: Promise<{ taskId: string }>; searchParams: Promise<Search> }) {
  const { taskId } = await params;
  const search = await searchParams;
  const instancePage = pageOf(search.ipage);
  const outputPage = pageOf(search.opage);
  const instanceState = (INSTANCE_STATES as readonly string[]).includes(search.istate ?? "") ? (search.istate as InstanceState) : undefined;
  const api = await serverApi("customer", `/compute/tasks/${taskId}`);
  const task: TaskDetail = await orNotFound(api.compute.task({ taskId }));
  const [grid, instances, outputs, result] = await Promise.all([
    api.compute.instanceGrid({ taskId }),
    api.compute.instances({ taskId, page: instancePage, pageSize: INSTANCES_PAGE_SIZE, state: instanceState }),
    api.compute.outputs({ taskId }),
    api.compute.result({ taskId }),
  ]);
  const active = isActiveTaskState(task.state);
  const { runs, codes } = compactGrid(grid);
  const href = (changes: Partial<Record<keyof Search, string | number | undefined>>, anchor: string) => {
    const query = new URLSearchParams();
    const merged = { ipage: instancePage, istate: instanceState, opage: outputPage, ...changes };
    for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== 1 && v !== "") query.set(k, String(v));
    const s = query.toString();
    return `/compute/tasks/${taskId}${s ? `?${s}` : ""}#${anchor}`;
  };

  return (
    <>
      <PageTitle
        back={{ href: "/compute/tasks", label: "Tasks" }}
        title={task.name}
        subtitle={
          <>
            {task.profileName} · <span className="font-mono text-sm">{task.shortname ?? task.id}</span> · submitted {formatDateTime(task.createdAt)}
            {task.endedAt && <> · ended {formatDateTime(task.endedAt)}</>}
          </>
        }
      />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={<span className="flex items-center gap-2">Status <TaskStateBadge state={task.state} /></span>} actions={<AutoRefresh active={active} />} />
          <CardContent className="flex flex-col gap-4">
            <div>
              <TaskProgress progressPct={task.progressPct} counts={task.counts} label="Task progress" />
              <InstanceCounts counts={task.counts} /> <span className="text-xs text-stone-600">of {formatInteger(task.instanceCount)} instances</span>
            </div>
            {task.cancelRequested && active && (
              <p className="text-sm text-amber-900">Cancelling: waiting for the radiators still running instances to confirm they stopped.</p>
            )}
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
              <dt className="text-stone-600">Wall time</dt>
              <dd className="tabular-nums">{formatDuration(task.wallTimeS)}</dd>
              <dt className="text-stone-600">Execution time</dt>
              <dd className="tabular-nums">{formatDuration(task.executionTimeS)}</dd>
              <dt className="text-stone-600">CPU time</dt>
              <dd className="tabular-nums">{formatCoreSeconds(task.coreSeconds)}</dd>
              <dt className="text-stone-600">Energy</dt>
              <dd className="tabular-nums">{formatEnergyWh(task.energyWh)}</dd>
            </dl>
            <TaskActions taskId={task.id} canCancel={active && !task.cancelRequested} failed={task.counts.failed} />
          </CardContent>
        </Card>
        <Standing task={task} active={active} />
      </div>

      <TaskWorkbench>
        <Card className="mt-6">
          <CardHeader
            title="Instances"
            description={`${formatInteger(task.instanceCount)} instances, numbered ${task.instanceRanges}`}
          />
          <CardContent>
            <InstanceGrid taskId={task.id} runs={runs} codes={codes} canCancel={active && !task.cancelRequested} />
          </CardContent>
        </Card>
        <Card className="mt-6 scroll-mt-4" id="logs">
          <CardHeader title="Log" description={active ? "Live while the task runs; kept after it ends." : "Kept after the task ended."} />
          <CardContent>
            <LogTail taskId={task.id} active={active} />
          </CardContent>
        </Card>
      </TaskWorkbench>

      <Results task={task} result={result} outputs={outputs} page={outputPage} pageHref={(p) => href({ opage: p }, "outputs")} />

      <Card className="mt-6 scroll-mt-4" id="instance-table">
        <CardHeader
          title="Time and energy per instance"
          description="Wall time from start to end of the attempt that counts; CPU time and energy summed over its attempts."
          actions={
            <form action={`/compute/tasks/${task.id}#instance-table`} className="flex items-end gap-2">
              <label htmlFor="istate" className="sr-only">
                Instances in state
              </label>
              <select id="istate" name="istate" defaultValue={instanceState ?? ""} className="h-8 rounded-md border border-stone-300 bg-white px-2 text-sm">
                <option value="">All states</option>
                {INSTANCE_STATES.map((s) => (
                  <option key={s} value={s}>
                    {INSTANCE_STATE_STYLES[s].label}
                  </option>
                ))}
              </select>
              <button type="submit" className={buttonClasses("secondary", "sm")}>
                Filter
              </button>
            </form>
          }
        />
        <InstanceTable instances={instances.instances} />
        <Pages
          label="Pages of instances"
          page={instancePage}
          pages={Math.max(1, Math.ceil(instances.total / INSTANCES_PAGE_SIZE))}
          href={(p) => href({ ipage: p }, "instance-table")}
        />
        <p className="border-t border-stone-200 px-4 py-3 text-sm text-stone-600">
          Durations, CPU time and energy follow each radiator&apos;s hardware model (the radiators&apos; own meters and cores), not a
          real-time measurement of this server.
        </p>
      </Card>

      <Settings task={task} />
    </>
  );
}

function Standing({ task, active }: { task: TaskDetail; active: boolean }) {
  const standing = task.standing;
  return (
    <Card>
      <CardHeader title="Queue" />
      <CardContent>
        {!active ? (
          <p className="text-sm text-stone-700">Not in the queue: the task has ended.</p>
        ) : !standing || standing.waitingInstances === 0 ? (
          <p className="text-sm text-stone-700">Every instance not yet ended is on a radiator.</p>
        ) : (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-2 text-sm" data-testid="queue-standing">
            <dt className="text-stone-600">Waiting</dt>
            <dd className="tabular-nums">
              {formatInteger(standing.waitingInstances)} {standing.waitingInstances === 1 ? "instance" : "instances"}
            </dd>
            <dt className="text-stone-600">Ahead of it</dt>
            <dd className="tabular-nums">{standing.position === null ? "—" : `${formatInteger(standing.position)} instances of other work`}</dd>
            <dt className="text-stone-600">All run within</dt>
            <dd>{formatEta(standing.etaSeconds)}</dd>
            <dt className="text-stone-600">Why it waits</dt>
            <dd className="font-medium text-stone-900">{standing.reason ?? "Next in line."}</dd>
            <dd className="col-span-2 text-xs text-stone-600">Estimated from the work ahead and the heat that rooms ask for now.</dd>
          </dl>
        )}
      </CardContent>
    </Card>
  );
}

function Results({
  task,
  result,
  outputs,
  page,
  pageHref,
}: {
  task: TaskDetail;
  result: TaskResult;
  outputs: OutputView[] | null;
  page: number;
  pageHref: (page: number) => string;
}) {
  const all = outputs ?? [];
  const pages = Math.max(1, Math.ceil(all.length / OUTPUTS_PAGE_SIZE));
  const shown = all.slice((page - 1) * OUTPUTS_PAGE_SIZE, page * OUTPUTS_PAGE_SIZE);
  // Each Monte-Carlo instance writes "result.json": saved files then carry the instance number.
  const names = new Map<string, number>();
  for (const o of all) names.set(o.name, (names.get(o.name) ?? 0) + 1);
  const fileName = (o: OutputView) => ((names.get(o.name) ?? 0) > 1 ? `instance-${o.instanceNumber}-${o.name}` : o.name);
  return (
    <Card className="mt-6 scroll-mt-4" id="outputs">
      <CardHeader title="Results" description="Each succeeded instance's outputs, and the task's consolidated result." />
      <CardContent className="flex flex-col gap-4">
        {result?.kind === "monte-carlo" && (
          <div className="rounded-md border border-stone-200 p-4" data-testid="task-result">
            <p className="text-sm text-stone-600">Option price</p>
            <p className="text-3xl font-semibold tabular-nums">{formatPrice(result.price)}</p>
            <p className="text-sm text-stone-800">
              95 % confidence interval {formatPrice(result.ci95Low)} – {formatPrice(result.ci95High)} · standard error{" "}
              {formatPrice(result.standardError)} · {formatInteger(result.paths)} paths from {formatInteger(result.instances)}{" "}
              {result.instances === 1 ? "instance" : "instances"}
            </p>
          </div>
        )}
        {result?.kind === "render" && (
          <figure className="flex flex-col gap-2" data-testid="task-result">
            {/* A generated image of unknown size, served by our own route: next/image adds nothing here. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={`/compute/tasks/${task.id}/contact-sheet.png?frames=${result.frames}`}
              alt={`Contact sheet of the ${result.frames} rendered frames`}
              className="h-auto max-w-full rounded border border-stone-200"
            />
            <figcaption className="flex flex-wrap items-center gap-3 text-sm">
              Contact sheet of {formatInteger(result.frames)} frames ({formatBytes(result.contactSheet.sizeBytes)})
              <a href={`/compute/tasks/${task.id}/contact-sheet.png?download=1`} download className={buttonClasses("secondary", "sm")}>
                Download contact sheet
              </a>
            </figcaption>
          </figure>
        )}
        {(!result || result.kind === "none") && (
          <p className="text-sm text-stone-600">
            {task.counts.succeeded === 0 ? "No instance has succeeded yet: results appear here as they do." : "This profile has no consolidated result: download the outputs below."}
          </p>
        )}
        {all.length > 0 ? (
          <>
            <Table caption="Outputs">
              <THead>
                <tr>
                  <Th>File</Th>
                  <Th numeric>Instance</Th>
                  <Th numeric>Size</Th>
                  <Th>Created</Th>
                </tr>
              </THead>
              <TBody>
                {shown.map((o) => (
                  <Tr key={o.id}>
                    <Td className="relative">
                      <a href={`/compute/tasks/${task.id}/outputs/${o.id}`} download={fileName(o)} className="font-mono text-brand-700 underline">
                        {o.name}
                      </a>
                      <span className="sr-only"> of instance {o.instanceNumber}</span>
                    </Td>
                    <Td numeric>{o.instanceNumber}</Td>
                    <Td numeric>{formatBytes(o.sizeBytes)}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(o.createdAt)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            {pages > 1 && <Pages label="Pages of outputs" page={page} pages={pages} href={pageHref} />}
          </>
        ) : (
          <p className="text-sm text-stone-600">No output files yet.</p>
        )}
      </CardContent>
    </Card>
  );
}

function InstanceTable({ instances }: { instances: InstanceView[] }) {
  return (
    <Table caption="Time and energy per instance">
      <THead>
        <tr>
          <Th numeric>Instance</Th>
          <Th>State</Th>
          <Th numeric>Attempts</Th>
          <Th>Started</Th>
          <Th numeric>Wall time</Th>
          <Th numeric>CPU time</Th>
          <Th numeric>Energy</Th>
          <Th numeric>Exit code</Th>
        </tr>
      </THead>
      <TBody>
        {instances.map((i) => (
          <Tr key={i.instanceNumber}>
            <Td numeric>{i.instanceNumber}</Td>
            <Td className="whitespace-nowrap">
              <span aria-hidden className={`mr-1.5 inline-block size-2.5 rounded-[2px] ${INSTANCE_STATE_STYLES[i.state].cell}`} />
              {INSTANCE_STATE_STYLES[i.state].label}
              {i.state === "running" && i.progressPct !== null && <span className="text-stone-600"> · {Math.floor(i.progressPct)} %</span>}
            </Td>
            <Td numeric>
              {i.attemptCount}/{i.maxAttempts}
            </Td>
            <Td className="whitespace-nowrap">{i.startedAt ? formatDateTime(i.startedAt) : "—"}</Td>
            <Td numeric>{formatDuration(i.wallTimeS)}</Td>
            <Td numeric>{formatCoreSeconds(i.coreSeconds)}</Td>
            <Td numeric>{formatEnergyWh(i.energyWh)}</Td>
            <Td numeric>{i.exitCode ?? "—"}</Td>
          </Tr>
        ))}
        {instances.length === 0 && (
          <tr>
            <Td colSpan={8} className="py-6 text-center text-stone-600">
              No instances here.
            </Td>
          </tr>
        )}
      </TBody>
    </Table>
  );
}

function Pages({ label, page, pages, href }: { label: string; page: number; pages: number; href: (page: number) => string }) {
  return (
    <nav aria-label={label} className="flex items-center justify-between border-t border-stone-200 px-4 py-3 text-sm">
      <span>
        Page {page} of {pages}
      </span>
      <span className="flex gap-2">
        {page > 1 && (
          <Link className={buttonClasses("secondary", "sm")} href={href(page - 1)} scroll={false}>
            Previous
          </Link>
        )}
        {page < pages && (
          <Link className={buttonClasses("secondary", "sm")} href={href(page + 1)} scroll={false}>
            Next
          </Link>
        )}
      </span>
    </nav>
  );
}

function Settings({ task }: { task: TaskDetail }) {
  const constants = Object.entries(task.constants);
  return (
    <Card className="mt-6">
      <CardHeader title="Submitted with" />
      <CardContent>
        <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-stone-600">Task id</dt>
          <dd className="break-all font-mono">{task.id}</dd>
          <dt className="text-stone-600">Instances</dt>
          <dd className="break-all font-mono">{task.instanceRanges}</dd>
          <dt className="text-stone-600">Scheduling</dt>
          <dd>{task.donated ? "Donated research" : task.schedulingType}</dd>
          <dt className="text-stone-600">Node requirements</dt>
          <dd>
            at least {task.minCores} {task.minCores === 1 ? "core" : "cores"} and {task.minRamGb} GB of memory
          </dd>
          <dt className="text-stone-600">Limits</dt>
          <dd>
            {task.maxWallTimeS ? `${formatDuration(task.maxWallTimeS)} per instance` : "no wall-time limit"} ·{" "}
            {task.maxRetriesPerInstance} {task.maxRetriesPerInstance === 1 ? "retry" : "retries"} per instance
          </dd>
          {task.jobId && (
            <>
              <dt className="text-stone-600">Job</dt>
              <dd className="break-all font-mono">{task.jobId}</dd>
            </>
          )}
          <dt className="text-stone-600">Tags</dt>
          <dd>{task.tags.length ? task.tags.join(", ") : "—"}</dd>
          {task.succeededRange && (
            <>
              <dt className="text-stone-600">Succeeded</dt>
              <dd className="break-all font-mono">{task.succeededRange}</dd>
            </>
          )}
          {task.failedRange && (
            <>
              <dt className="text-stone-600">Failed</dt>
              <dd className="break-all font-mono">{task.failedRange}</dd>
            </>
          )}
          {task.dependsOn.length > 0 && (
            <>
              <dt className="text-stone-600">Runs after</dt>
              <dd className="flex flex-wrap gap-2">
                {task.dependsOn.map((id) => (
                  <Link key={id} href={`/compute/tasks/${id}`} className="font-mono text-brand-700 underline">
                    {id.slice(0, 8)}
                  </Link>
                ))}
              </dd>
            </>
          )}
          {constants.length > 0 && (
            <>
              <dt className="text-stone-600">Constants</dt>
              <dd>
                <ul className="font-mono text-xs leading-5">
                  {constants.map(([k, v]) => (
                    <li key={k} className="break-all">
                      {k}={v}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
      </CardContent>
    </Card>
  );
}

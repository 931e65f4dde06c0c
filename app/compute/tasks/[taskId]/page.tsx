import type { Metadata } from "next";
import { LiveUpdates } from "@/components/compute/auto-refresh";
import { INSTANCE_STATE_STYLES, isActiveTaskState } from "@/components/compute/format";
import { InstanceGrid } from "@/components/compute/instance-grid";
import { InstanceTable } from "@/components/compute/instance-table";
import { ENERGY_SHARE_HINT } from "@/server/domain/energy-share";
import { LogTail } from "@/components/compute/log-tail";
import { QueueStanding } from "@/components/compute/queue-standing";
import { OUTPUTS_PAGE_SIZE, TaskResults } from "@/components/compute/task-results";
import { TaskSettings } from "@/components/compute/task-settings";
import { TaskStatus } from "@/components/compute/task-status";
import { TaskWorkbench } from "@/components/compute/task-workbench";
import { CarbonLabel } from "@/components/compute/carbon-label";
import { knownDatacenter } from "@/server/domain/carbon";
import { INSTANCE_STATES, type InstanceState, type TaskDetail } from "@/components/compute/types";
import { PageTitle } from "@/components/layout/app-shell";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { FilterSelect } from "@/components/ui/filters";
import { Pager } from "@/components/ui/pager";
import { countOf, formatDateTime } from "@/components/format";
import { orNotFound, serverApi, viewerZone } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Task" };

const INSTANCES_PAGE_SIZE = 25;

type Search = { ipage?: string; istate?: string; opage?: string; dc?: string };

const pageOf = (v: unknown) => Math.max(1, Math.min(100_000, Number.parseInt(typeof v === "string" ? v : "1", 10) || 1));

const INSTANCE_STATE_OPTIONS = [{ value: "", label: "All states" }, ...INSTANCE_STATES.map((s) => ({ value: s, label: INSTANCE_STATE_STYLES[s].label }))];

export default async function TaskPage({ params, searchParams }: { params: Promise<{ taskId: string }>; searchParams: Promise<Search> }) {
  const { taskId } = await params;
  const search = await searchParams;
  const instancePage = pageOf(search.ipage);
  const outputPage = pageOf(search.opage);
  const instanceState = (INSTANCE_STATES as readonly string[]).includes(search.istate ?? "") ? (search.istate as InstanceState) : undefined;
  const api = await serverApi("customer", `/compute/tasks/${taskId}`);
  const task: TaskDetail = await orNotFound(api.compute.task({ taskId }));
  const timeZone = await viewerZone();
  const [instances, outputs, result, carbon] = await Promise.all([
    api.compute.instances({ taskId, page: instancePage, pageSize: INSTANCES_PAGE_SIZE, state: instanceState }),
    api.compute.outputs({ taskId, page: outputPage, pageSize: OUTPUTS_PAGE_SIZE }),
    api.compute.result({ taskId }),
    api.carbon.task({ taskId, datacenter: knownDatacenter(search.dc) }),
    // Not the instance grid: it reads its states through its own poll, so that neither the first
    // load nor each refresh of this page carries them (100,000 instances would weigh megabytes).
  ]);
  const active = isActiveTaskState(task.state);
  const taskMeter = { coreSeconds: task.coreSeconds, energyWh: task.energyWh };
  const href = (changes: Partial<Record<keyof Search, string | number | undefined>>, anchor: string) => {
    const query = new URLSearchParams();
    const merged = { ipage: instancePage, istate: instanceState, opage: outputPage, ...changes };
    for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== 1 && v !== "") query.set(k, String(v));
    const s = query.toString();
    return `/compute/tasks/${taskId}${s ? `?${s}` : ""}#${anchor}`;
  };

  return (
    <LiveUpdates>
      <PageTitle
        back={{ href: "/compute/tasks", label: "Tasks" }}
        title={task.name}
        subtitle={
          <>
            {task.profileName} · <span className="font-mono text-sm">{task.shortname ?? task.id}</span> · submitted {formatDateTime(task.createdAt, timeZone)}
            {task.endedAt && <> · ended {formatDateTime(task.endedAt, timeZone)}</>}
          </>
        }
      />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <TaskStatus task={task} active={active} timeZone={timeZone} />
        <QueueStanding task={task} active={active} />
      </div>

      <TaskWorkbench>
        <Card className="mt-6">
          <CardHeader
            title="Instances"
            description={`${countOf(task.instanceCount, "instance")}, numbered ${task.instanceRanges}`}
          />
          <CardContent>
            <InstanceGrid taskId={task.id} active={active} canCancel={active && !task.cancelRequested} taskMeter={taskMeter} timeZone={timeZone} />
          </CardContent>
        </Card>
        <Card className="mt-6 scroll-mt-4" id="logs">
          <CardHeader title="Log" description={active ? "Live while the task runs; kept after it ends." : "Kept after the task ended."} />
          <CardContent>
            <LogTail taskId={task.id} active={active} />
          </CardContent>
        </Card>
      </TaskWorkbench>

      <TaskResults task={task} result={result} outputs={outputs} page={outputPage} pageHref={(p) => href({ opage: p }, "outputs")} timeZone={timeZone} />

      <CarbonLabel label={carbon} formAction={`/compute/tasks/${task.id}`} />

      <Card className="mt-6 scroll-mt-4" id="instance-table">
        <CardHeader
          title="Time and energy per instance"
          description={`Wall time from start to end of the attempt that counts; CPU time summed over its attempts. ${ENERGY_SHARE_HINT}`}
          actions={
            <form action={`/compute/tasks/${task.id}#instance-table`} className="flex items-end gap-2">
              <FilterSelect id="istate" name="istate" label="Instances in state" size="sm" defaultValue={instanceState ?? ""} options={INSTANCE_STATE_OPTIONS} />
              <button type="submit" className={buttonClasses("secondary", "sm")}>
                Filter
              </button>
            </form>
          }
        />
        <InstanceTable instances={instances.instances} taskMeter={taskMeter} timeZone={timeZone} />
        <Pager
          label="Pages of instances"
          page={instancePage}
          pages={Math.max(1, Math.ceil(instances.total / INSTANCES_PAGE_SIZE))}
          href={(p) => href({ ipage: p }, "instance-table")}
          scroll={false}
        />
        <p className="border-t border-stone-200 px-4 py-3 text-sm text-stone-600">
          Durations, CPU time and energy follow each radiator&apos;s hardware model (the radiators&apos; own meters and cores), not a
          real-time measurement of this server.
        </p>
      </Card>

      <TaskSettings task={task} />
    </LiveUpdates>
  );
}

import type { Metadata } from "next";
import { CarbonLabel } from "@/components/compute/carbon-label";
import { TaskTable } from "@/components/compute/task-table";
import { formatDateTime } from "@/components/format";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { knownDatacenter } from "@/server/domain/carbon";
import { orNotFound, serverApi, viewerZone } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Job" };

const PAGE_SIZE = 25;

/** A job: its state, its tasks, and the Carbon Facts of all of them. */
export default async function JobPage({ params, searchParams }: { params: Promise<{ jobId: string }>; searchParams: Promise<{ page?: string; dc?: string }> }) {
  const { jobId } = await params;
  const search = await searchParams;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(search.page ?? "1", 10) || 1));
  const api = await serverApi("customer", `/compute/jobs/${jobId}`);
  const job = await orNotFound(api.compute.job({ jobId }));
  const timeZone = await viewerZone();
  const [{ tasks, total }, carbon] = await Promise.all([
    api.compute.tasks({ page, pageSize: PAGE_SIZE, jobId: job.id }),
    api.carbon.job({ jobId: job.id, datacenter: knownDatacenter(search.dc) }),
  ]);
  return (
    <>
      <PageTitle
        back={{ href: "/compute/tasks", label: "Tasks" }}
        title={job.name}
        subtitle={
          <>
            Job · <span className="font-mono text-sm">{job.shortname ?? job.id}</span> · created {formatDateTime(job.createdAt, timeZone)}
            {job.endedAt && <> · ended {formatDateTime(job.endedAt, timeZone)}</>} ·{" "}
            <Badge tone={job.state === "Completed" ? "success" : job.state === "Active" ? "info" : "neutral"}>{job.state}</Badge>
          </>
        }
      />
      <Card>
        <CardHeader title="Tasks" description={`${total} in this job${job.useDependencies ? ", run in the order of their dependencies" : ""}.`} />
        <TaskTable tasks={tasks} caption="Tasks of the job" timeZone={timeZone} />
        <Pager label="Pages of tasks" page={page} pages={Math.max(1, Math.ceil(total / PAGE_SIZE))} href={(p) => `/compute/jobs/${job.id}?page=${p}`} />
      </Card>
      <CarbonLabel label={carbon} formAction={`/compute/jobs/${job.id}`} />
    </>
  );
}

import Link from "next/link";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { formatDuration } from "@/components/format";
import type { TaskDetail } from "./types";

/** What a task was submitted with: instances, scheduling, requirements, limits, job, tags, dependencies, constants. */
export function TaskSettings({ task }: { task: TaskDetail }) {
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

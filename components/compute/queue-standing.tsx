import { countOf } from "@/components/format";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { formatEta } from "./format";
import type { TaskDetail } from "./types";

/** Where a task stands in the queue: what waits, the work ahead of it, when it should all have run and why it waits. */
export function QueueStanding({ task, active }: { task: TaskDetail; active: boolean }) {
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
              {countOf(standing.waitingInstances, "instance")}
            </dd>
            <dt className="text-stone-600">Ahead of it</dt>
            <dd className="tabular-nums">{standing.position === null ? "—" : `${countOf(standing.position, "instance")} of other work`}</dd>
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

import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatEuros } from "@/server/domain/billing";
import { formatCarbonG, formatCoreSeconds, formatEnergyWh } from "./format";
import { InstanceCounts, TaskProgress, TaskStateBadge } from "./task-state";
import type { TaskSummary } from "./types";

/** Tasks with their state, progress and instance counts; the name links to the detail. */
export function TaskTable({ tasks, caption, compact = false, timeZone }: { tasks: TaskSummary[]; caption: string; compact?: boolean; timeZone: string }) {
  return (
    <Table caption={caption}>
      <THead>
        <tr>
          <Th>Task</Th>
          <Th>State</Th>
          <Th className="min-w-40">Progress</Th>
          {!compact && <Th>Profile</Th>}
          {!compact && <Th numeric>CPU time</Th>}
          {!compact && <Th numeric>Energy</Th>}
          {!compact && <Th numeric>Cost so far</Th>}
          {!compact && <Th numeric>Carbon so far</Th>}
          <Th>Submitted</Th>
        </tr>
      </THead>
      <TBody>
        {tasks.map((t) => (
          <Tr key={t.id}>
            <Td>
              <Link href={`/compute/tasks/${t.id}`} className="font-medium text-brand-700 underline">
                {t.name}
              </Link>
              <span className="block font-mono text-xs text-stone-600">{t.shortname ?? t.id.slice(0, 8)}</span>
              {!compact && t.tags.length > 0 && (
                <span className="mt-1 flex flex-wrap gap-1">
                  {t.tags.map((tag) => (
                    <span key={tag} className="rounded bg-stone-100 px-1.5 text-xs text-stone-700">
                      {tag}
                    </span>
                  ))}
                </span>
              )}
            </Td>
            <Td>
              <TaskStateBadge state={t.state} />
            </Td>
            <Td>
              <TaskProgress progressPct={t.progressPct} counts={t.counts} label={`Progress of ${t.name}`} />
              <InstanceCounts counts={t.counts} />
              <span className="text-xs text-stone-600"> of {t.instanceCount}</span>
            </Td>
            {!compact && (
              <Td>
                {t.profileName}
                <span className="block text-xs text-stone-600">{t.donated ? "donated" : t.schedulingType}</span>
              </Td>
            )}
            {!compact && <Td numeric>{formatCoreSeconds(t.coreSeconds)}</Td>}
            {!compact && <Td numeric>{formatEnergyWh(t.energyWh)}</Td>}
            {!compact && <Td numeric>{formatEuros(t.costCents)}</Td>}
            {!compact && <Td numeric>{formatCarbonG(t.carbonGCO2e)}</Td>}
            <Td className="whitespace-nowrap">{formatDateTime(t.createdAt, timeZone)}</Td>
          </Tr>
        ))}
        {tasks.length === 0 && (
          <tr>
            <Td colSpan={compact ? 4 : 9} className="py-6 text-center text-stone-600">
              No tasks here.
            </Td>
          </tr>
        )}
      </TBody>
    </Table>
  );
}

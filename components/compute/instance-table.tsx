import { formatDateTime } from "@/components/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { energyShareWh, formatEnergyShareWh } from "@/server/domain/energy-share";
import { formatDuration } from "@/components/format";
import { formatCoreSeconds, INSTANCE_STATE_STYLES } from "./format";
import type { InstanceView, TaskMeter } from "./types";

/** A page of a task's instances: state, attempts, start, wall and CPU time, energy (its share of the task's, by CPU time) and exit code. */
export function InstanceTable({ instances, taskMeter, timeZone }: { instances: InstanceView[]; taskMeter: TaskMeter; timeZone: string }) {
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
            <Td className="whitespace-nowrap">{i.startedAt ? formatDateTime(i.startedAt, timeZone) : "—"}</Td>
            <Td numeric>{formatDuration(i.wallTimeS)}</Td>
            <Td numeric>{formatCoreSeconds(i.coreSeconds)}</Td>
            <Td numeric>{formatEnergyShareWh(energyShareWh(i.coreSeconds, taskMeter))}</Td>
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

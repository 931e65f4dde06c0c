"use client";

import { memo } from "react";
import { formatInteger } from "@/components/format";
import { cn } from "@/components/ui/cn";
import { formatInstanceRanges } from "@/server/domain/instance-ranges";
import { INSTANCE_STATE_HINTS } from "@/server/domain/instance-vocabulary";
import { INSTANCE_STATE_STYLES } from "./format";
import { INSTANCE_STATES, type InstanceState } from "./types";

/** The grid's legend: each state's colour and how many instances are in it. */
export function InstanceLegend({ byState }: { byState: Map<InstanceState, number[]> }) {
  return (
    <ul aria-label="Legend: instances by state" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {INSTANCE_STATES.map((s) => (
        <li key={s} className="flex items-center gap-1.5" title={`${INSTANCE_STATE_STYLES[s].label}: ${INSTANCE_STATE_HINTS[s]}`}>
          <span aria-hidden className={cn("inline-block size-3.5 rounded-[2px]", INSTANCE_STATE_STYLES[s].cell)} />
          {INSTANCE_STATE_STYLES[s].label}
          <span className="tabular-nums text-stone-700">{formatInteger(byState.get(s)?.length ?? 0)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The grid as text: the instance numbers in each state. */
export const InstanceTextAlternative = memo(function InstanceTextAlternative({ byState }: { byState: Map<InstanceState, number[]> }) {
  const rows = INSTANCE_STATES.filter((s) => (byState.get(s)?.length ?? 0) > 0);
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-brand-700 underline">Instance numbers by state, as text</summary>
      <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
        {rows.map((s) => {
          const text = formatInstanceRanges(byState.get(s)!);
          return (
            <div key={s} className="contents">
              <dt className="font-medium">
                {INSTANCE_STATE_STYLES[s].label} ({formatInteger(byState.get(s)!.length)})
              </dt>
              <dd className="break-all font-mono text-xs leading-5">{text.length > 2000 ? `${text.slice(0, 2000)}…` : text}</dd>
            </div>
          );
        })}
      </dl>
    </details>
  );
});

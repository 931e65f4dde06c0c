"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { formatInteger } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { readErrorMessage } from "@/components/trpc/errors";
import { cn } from "@/components/ui/cn";
import { formatInstanceRanges, parseInstanceRanges } from "@/server/domain/instance-ranges";
import { INSTANCE_RANGE_LIMITS } from "@/server/domain/task-limits";
import { LIVE_REFRESH_MS, useLiveUpdatesPaused } from "./auto-refresh";
import { CancelInstances } from "./cancel-instances";
import { CELL_MARKS, Cells, cellSizeFor } from "./instance-cells";
import { InstanceDetails } from "./instance-details";
import { InstanceLegend, InstanceTextAlternative } from "./instance-states";
import { GoToInstance } from "./go-to-instance";
import { INSTANCE_STATE_STYLES } from "./format";
import { INSTANCE_STATES, type InstanceGridView, type InstanceState } from "./types";

const STATE_CODES = new Map<string, number>(INSTANCE_STATES.map((s, i) => [s, i]));

/**
 * A task's instances, one square each, read from `compute.instanceGrid` (the page renders the
 * first read on the server) and read again as often as the rest of the page while the task runs,
 * the tab is visible and live updates are not paused. A refresh of the page hands over its newer
 * read too (and React Query then restarts the interval), so most reads come with the refresh.
 */
export function InstanceGrid({ taskId, active, canCancel }: { taskId: string; active: boolean; canCancel: boolean }) {
  const trpc = useTRPC();
  const paused = useLiveUpdatesPaused();
  const live = active && !paused;
  const grid = useQuery(
    trpc.compute.instanceGrid.queryOptions(
      { taskId },
      // Paused means still: no read on focus or reconnect either. A failed read waits for the next one.
      { refetchInterval: live ? LIVE_REFRESH_MS : false, refetchOnWindowFocus: live, refetchOnReconnect: live, retry: false },
    ),
  );
  if (!grid.data) {
    return grid.error ? (
      <p role="alert" className="text-sm text-red-700">
        {readErrorMessage(grid.error, "Could not load the instances.")}
      </p>
    ) : (
      <p role="status" className="text-sm text-stone-600">
        Loading…
      </p>
    );
  }
  return <InstanceGridBody taskId={taskId} grid={grid.data} canCancel={canCancel} />;
}

/**
 * One square per instance, coloured by state, in instance-number order. The grid takes the
 * keyboard (arrows, Home/End, Enter for details, Space to mark for cancelling); a legend counts the
 * states and a text alternative lists the instance numbers in each.
 */
function InstanceGridBody({ taskId, grid, canCancel }: { taskId: string; grid: InstanceGridView; canCancel: boolean }) {
  // Each read brings new arrays: the cells only re-render (10,000 of them) when numbers or states changed.
  const numbersKey = grid.numbers.join(",");
  const numbers = useMemo(() => (numbersKey === "" ? [] : numbersKey.split(",").map(Number)), [numbersKey]);
  const codes = grid.states.map((s) => STATE_CODES.get(s) ?? 1).join("");
  const stateAt = (i: number): InstanceState => INSTANCE_STATES[Number(codes[i])] ?? "queued";
  const total = Math.min(numbers.length, codes.length);

  const byState = useMemo(() => {
    const lists = new Map<InstanceState, number[]>(INSTANCE_STATES.map((s) => [s, []]));
    for (let i = 0; i < Math.min(numbers.length, codes.length); i++) {
      lists.get(INSTANCE_STATES[Number(codes[i])] ?? "queued")!.push(numbers[i]!);
    }
    return lists;
  }, [numbers, codes]);

  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [markText, setMarkText] = useState("");
  const [markMode, setMarkMode] = useState(false);
  const gridRef = useRef<HTMLDivElement>(null);
  const helpId = useId();

  const marked = useMemo(() => {
    const parsed = parseInstanceRanges(markText, INSTANCE_RANGE_LIMITS);
    return new Set(parsed.ok ? parsed.numbers : []);
  }, [markText]);

  const toggleMark = (n: number) => {
    const next = new Set(marked);
    if (next.has(n)) next.delete(n);
    else next.add(n);
    setMarkText(formatInstanceRanges([...next]));
  };

  const describe = (i: number) => `Instance ${numbers[i]}: ${INSTANCE_STATE_STYLES[stateAt(i)].label.toLowerCase()}${marked.has(numbers[i]!) ? ", marked for cancelling" : ""}`;

  const open = (i: number) => {
    setSelected(i);
    setCursor(i);
  };

  function onClick(event: MouseEvent<HTMLDivElement>) {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[data-i]");
    if (!target) return;
    const i = Number(target.dataset.i);
    if ((markMode || event.shiftKey) && canCancel) toggleMark(numbers[i]!);
    else open(i);
  }

  function columns() {
    const grid = gridRef.current;
    const first = grid?.firstElementChild as HTMLElement | null;
    if (!grid || !first) return 1;
    return Math.max(1, Math.floor((grid.clientWidth + 1) / (first.offsetWidth + 1)));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (total === 0) return;
    let next = cursor;
    switch (event.key) {
      case "ArrowRight":
        next = Math.min(total - 1, cursor + 1);
        break;
      case "ArrowLeft":
        next = Math.max(0, cursor - 1);
        break;
      case "ArrowDown":
        next = Math.min(total - 1, cursor + columns());
        break;
      case "ArrowUp":
        next = Math.max(0, cursor - columns());
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = total - 1;
        break;
      case "Enter":
        event.preventDefault();
        open(cursor);
        return;
      case " ":
        event.preventDefault();
        if (canCancel) {
          toggleMark(numbers[cursor]!);
          setAnnouncement(`${marked.has(numbers[cursor]!) ? "Unmarked" : "Marked"} instance ${numbers[cursor]}`);
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    setCursor(next);
    setAnnouncement(describe(next));
    gridRef.current?.querySelector(`[data-i="${next}"]`)?.scrollIntoView({ block: "nearest" });
  }

  // Says that the grid answers clicks and keys (its script has loaded): for tests and styles.
  useEffect(() => {
    gridRef.current?.setAttribute("data-ready", "");
  }, []);

  // Marks, selection and keyboard cursor are attributes set on the cells directly: re-rendering
  // 10,000 cells for each arrow key would make the keyboard lag.
  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    for (const cell of grid.children) {
      const i = Number((cell as HTMLElement).dataset.i);
      cell.toggleAttribute("data-marked", marked.has(numbers[i]!));
    }
  }, [marked, numbers, codes]);
  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    grid.querySelector("[data-cursor]")?.removeAttribute("data-cursor");
    grid.querySelector("[data-selected]")?.removeAttribute("data-selected");
    grid.querySelector(`[data-i="${cursor}"]`)?.setAttribute("data-cursor", "");
    if (selected !== null) grid.querySelector(`[data-i="${selected}"]`)?.setAttribute("data-selected", "");
  }, [cursor, selected, codes]);

  return (
    <div className="flex flex-col gap-4">
      <InstanceLegend byState={byState} />
      <p id={helpId} className="text-sm text-stone-600">
        Select a square for that instance&apos;s details
        {canCancel ? "; shift-click, or Space from the keyboard, marks it for cancelling" : ""}. From the keyboard: Tab to the grid,
        then arrow keys and Enter.
      </p>
      <div className="max-h-[28rem] overflow-auto rounded-md border border-stone-200 bg-stone-50 p-2">
        <div
          ref={gridRef}
          role="group"
          aria-label={`Instance grid, ${formatInteger(total)} instances`}
          aria-describedby={helpId}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onClick={onClick}
          onFocus={() => setAnnouncement(describe(cursor))}
          className={cn("flex flex-wrap gap-px focus-visible:outline-2 focus-visible:outline-offset-4", CELL_MARKS)}
          data-testid="instance-grid"
        >
          <Cells numbers={numbers} codes={codes} size={cellSizeFor(total)} />
        </div>
      </div>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      <GoToInstance numbers={numbers} onGo={open} />
      {selected !== null && selected < total && (
        <InstanceDetails
          taskId={taskId}
          instanceNumber={numbers[selected]!}
          state={stateAt(selected)}
          canCancel={canCancel}
          marked={marked.has(numbers[selected]!)}
          onToggleMark={() => toggleMark(numbers[selected]!)}
          onClose={() => {
            setSelected(null);
            gridRef.current?.focus();
          }}
        />
      )}
      {canCancel && (
        <CancelInstances
          taskId={taskId}
          markText={markText}
          setMarkText={setMarkText}
          markMode={markMode}
          setMarkMode={setMarkMode}
          count={marked.size}
          queued={[...(byState.get("waiting") ?? []), ...(byState.get("queued") ?? [])]}
        />
      )}
      <InstanceTextAlternative byState={byState} />
    </div>
  );
}

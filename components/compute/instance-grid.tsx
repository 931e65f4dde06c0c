"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { formatInteger } from "@/components/format";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { readErrorMessage } from "@/components/trpc/errors";
import { cn } from "@/components/ui/cn";
import { decodeInstanceGrid } from "@/server/domain/instance-grid";
import { formatInstanceRanges, parseInstanceRanges } from "@/server/domain/instance-ranges";
import { INSTANCE_RANGE_LIMITS } from "@/server/domain/task-limits";
import { LIVE_REFRESH_MS, useLiveUpdatesPaused } from "./auto-refresh";
import { CancelInstances } from "./cancel-instances";
import { Blocks, CELL_MARKS, Cells, cellSizeFor, describeBlock } from "./instance-cells";
import { InstanceDetails } from "./instance-details";
import { InstanceLegend, InstanceTextAlternative } from "./instance-states";
import { GoToInstance } from "./go-to-instance";
import { INSTANCE_STATE_STYLES } from "./format";
import { INSTANCE_STATES, type InstanceGridView, type InstanceState, type TaskMeter } from "./types";

/** Up to this many instances the grid has a square per instance; above, a square per block of them. */
export const GRID_CELL_LIMIT = 2000;
/** At most this many blocks: 100,000 instances are 2,000 squares of 50. */
const MAX_BLOCKS = 2000;

type GridData = Extract<InstanceGridView, { changed: true }>;

/**
 * A task's instances, read from `compute.instanceGrid` after the page loaded (the page's own
 * refresh never carries them) and read again as often as the rest of the page while the task
 * runs, the tab is visible and live updates are not paused. Each read sends the version held:
 * while no instance changed state the answer is a few bytes.
 */
export function InstanceGrid({
  taskId,
  active,
  canCancel,
  taskMeter,
  timeZone,
}: {
  taskId: string;
  active: boolean;
  canCancel: boolean;
  taskMeter: TaskMeter;
  timeZone: string;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const paused = useLiveUpdatesPaused();
  const live = active && !paused;
  const queryKey = trpc.compute.instanceGrid.queryKey({ taskId });
  const grid = useQuery({
    queryKey,
    queryFn: async (): Promise<GridData> => {
      const held = queryClient.getQueryData(queryKey);
      const since = held?.changed ? held.version : undefined;
      const read = await client.compute.instanceGrid.query({ taskId, since });
      if (read.changed) return read;
      if (held?.changed) return held;
      return (await client.compute.instanceGrid.query({ taskId })) as GridData;
    },
    // Paused means still: no read on focus or reconnect either. A failed read waits for the next one.
    refetchInterval: live ? LIVE_REFRESH_MS : false,
    refetchOnWindowFocus: live,
    refetchOnReconnect: live,
    retry: false,
  });
  // When the task ends (or is cancelled) the poll stops: one last read shows where it ended.
  const { refetch } = grid;
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) void refetch();
    wasActive.current = active;
  }, [active, refetch]);
  if (!grid.data?.changed) {
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
  return <InstanceGridBody taskId={taskId} grid={grid.data} canCancel={canCancel} taskMeter={taskMeter} timeZone={timeZone} />;
}

/**
 * One square per instance (per block of instances above GRID_CELL_LIMIT), coloured by state, in
 * instance-number order. The grid takes the keyboard (arrows, Home/End, Enter for details, Space
 * to mark for cancelling); a legend counts the states and a text alternative lists the instance
 * numbers in each; "Show instance" opens any one by number.
 */
function InstanceGridBody({
  taskId,
  grid,
  canCancel,
  taskMeter,
  timeZone,
}: {
  taskId: string;
  grid: GridData;
  canCancel: boolean;
  taskMeter: TaskMeter;
  timeZone: string;
}) {
  // Decoded once per change: a read that changed nothing keeps the same arrays.
  const { numbers, codes } = useMemo(() => decodeInstanceGrid({ numbers: grid.numbers, runs: grid.runs }), [grid.numbers, grid.runs]);
  const stateAt = (i: number): InstanceState => INSTANCE_STATES[codes[i]!] ?? "queued";
  const total = Math.min(numbers.length, codes.length);
  // Squares ("units") of blockSize instances each; 1 up to GRID_CELL_LIMIT.
  const blockSize = total <= GRID_CELL_LIMIT ? 1 : Math.ceil(total / MAX_BLOCKS);
  const units = Math.ceil(total / blockSize);
  const unitOf = (i: number) => Math.floor(i / blockSize);
  const numbersOfUnit = (u: number) => numbers.slice(u * blockSize, Math.min(total, (u + 1) * blockSize));

  const byState = useMemo(() => {
    const lists = new Map<InstanceState, number[]>(INSTANCE_STATES.map((s) => [s, []]));
    for (let i = 0; i < Math.min(numbers.length, codes.length); i++) {
      lists.get(INSTANCE_STATES[codes[i]!] ?? "queued")!.push(numbers[i]!);
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
  // A block is marked or unmarked whole; it shows marked when any of its instances is.
  const unitMarked = (u: number) => numbersOfUnit(u).some((n) => marked.has(n));
  const toggleUnit = (u: number) => {
    if (blockSize === 1) return toggleMark(numbers[u]!);
    const next = new Set(marked);
    const all = numbersOfUnit(u);
    const unmark = all.every((n) => next.has(n));
    for (const n of all) {
      if (unmark) next.delete(n);
      else next.add(n);
    }
    setMarkText(formatInstanceRanges([...next]));
  };

  const describe = (u: number) =>
    blockSize === 1
      ? `Instance ${numbers[u]}: ${INSTANCE_STATE_STYLES[stateAt(u)].label.toLowerCase()}${marked.has(numbers[u]!) ? ", marked for cancelling" : ""}`
      : `${describeBlock(numbers, codes, blockSize, u)}${unitMarked(u) ? "; marked for cancelling" : ""}`;

  /** Opens the instance of index `i` (in a block, the keyboard moves to its block). */
  const open = (i: number) => {
    setSelected(i);
    setCursor(unitOf(i));
  };

  function onClick(event: MouseEvent<HTMLDivElement>) {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[data-i]");
    if (!target) return;
    const u = Number(target.dataset.i);
    if ((markMode || event.shiftKey) && canCancel) toggleUnit(u);
    else open(u * blockSize);
  }

  function columns() {
    const grid = gridRef.current;
    const first = grid?.firstElementChild as HTMLElement | null;
    if (!grid || !first) return 1;
    return Math.max(1, Math.floor((grid.clientWidth + 1) / (first.offsetWidth + 1)));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (units === 0) return;
    let next = cursor;
    switch (event.key) {
      case "ArrowRight":
        next = Math.min(units - 1, cursor + 1);
        break;
      case "ArrowLeft":
        next = Math.max(0, cursor - 1);
        break;
      case "ArrowDown":
        next = Math.min(units - 1, cursor + columns());
        break;
      case "ArrowUp":
        next = Math.max(0, cursor - columns());
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = units - 1;
        break;
      case "Enter":
        event.preventDefault();
        open(cursor * blockSize);
        return;
      case " ":
        event.preventDefault();
        if (canCancel) {
          const all = numbersOfUnit(cursor);
          const what = blockSize === 1 ? `instance ${numbers[cursor]}` : `instances ${all[0]} to ${all.at(-1)}`;
          toggleUnit(cursor);
          setAnnouncement(`${all.every((n) => marked.has(n)) ? "Unmarked" : "Marked"} ${what}`);
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

  // Marks, selection and keyboard cursor are attributes set on the squares directly: re-rendering
  // 2,000 squares for each arrow key would make the keyboard lag.
  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    for (const cell of grid.children) {
      const u = Number((cell as HTMLElement).dataset.i);
      const end = Math.min(numbers.length, (u + 1) * blockSize);
      let any = false;
      for (let i = u * blockSize; i < end && !any; i++) any = marked.has(numbers[i]!);
      cell.toggleAttribute("data-marked", any);
    }
  }, [marked, numbers, codes, blockSize]);
  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    grid.querySelector("[data-cursor]")?.removeAttribute("data-cursor");
    grid.querySelector("[data-selected]")?.removeAttribute("data-selected");
    grid.querySelector(`[data-i="${cursor}"]`)?.setAttribute("data-cursor", "");
    if (selected !== null) grid.querySelector(`[data-i="${Math.floor(selected / blockSize)}"]`)?.setAttribute("data-selected", "");
  }, [cursor, selected, codes, blockSize]);

  return (
    <div className="flex flex-col gap-4">
      <InstanceLegend byState={byState} />
      <p id={helpId} className="text-sm text-stone-600">
        {blockSize > 1 &&
          `Each square is a block of ${formatInteger(blockSize)} instances in the colour of the state most of them are in, with a strip for the next most common; its title and the keyboard say its mix. `}
        {blockSize > 1 ? "Select a square for its first instance's details" : "Select a square for that instance's details"}
        {canCancel ? `; shift-click, or Space from the keyboard, marks ${blockSize > 1 ? "its instances" : "it"} for cancelling` : ""}. From the
        keyboard: Tab to the grid, then arrow keys and Enter{blockSize > 1 ? "; “Show instance” below opens any instance by number" : ""}.
      </p>
      <div className="max-h-[28rem] overflow-auto rounded-md border border-stone-200 bg-stone-50 p-2">
        <div
          ref={gridRef}
          role="group"
          aria-label={`Instance grid, ${formatInteger(total)} instances${blockSize > 1 ? ` in ${formatInteger(units)} blocks of ${formatInteger(blockSize)}` : ""}`}
          aria-describedby={helpId}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onClick={onClick}
          onFocus={() => setAnnouncement(describe(cursor))}
          className={cn("flex flex-wrap gap-px focus-visible:outline-2 focus-visible:outline-offset-4", CELL_MARKS)}
          data-testid="instance-grid"
          data-block-size={blockSize}
        >
          {blockSize === 1 ? <Cells numbers={numbers} codes={codes} size={cellSizeFor(total)} /> : <Blocks numbers={numbers} codes={codes} blockSize={blockSize} />}
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
          taskMeter={taskMeter}
          timeZone={timeZone}
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

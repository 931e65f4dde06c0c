"use client";

import { memo, useActionState, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { cancelInstancesAction } from "@/server/actions/compute";
import type { FormState } from "@/server/actions/form-state";
import { formatDateTime, formatInteger } from "@/components/format";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { formatInstanceRanges, parseInstanceRanges } from "@/server/domain/instance-ranges";
import { INSTANCE_RANGE_LIMITS } from "@/server/domain/task-limits";
import { formatCoreSeconds, formatDuration, formatEnergyWh, INSTANCE_STATE_STYLES } from "./format";
import { useWorkbench } from "./task-workbench";
import { INSTANCE_STATES, type InstanceJson, type InstanceState } from "./types";


/**
 * One square per instance, coloured by state, in instance-number order. Sized for the count: up to
 * 200 squares carry their number; 10,000 still fit a screen as 6-pixel squares. The grid takes the
 * keyboard (arrows, Home/End, Enter for details, Space to mark for cancelling); a legend counts the
 * states and a text alternative lists the instance numbers in each.
 *
 * `runs` are the instance numbers as consecutive runs; `codes` has one character per instance, the
 * index of its state in INSTANCE_STATES: compact enough to refresh every few seconds at 10,000.
 */
export function InstanceGrid({
  taskId,
  runs,
  codes,
  canCancel,
}: {
  taskId: string;
  runs: Array<[number, number]>;
  codes: string;
  canCancel: boolean;
}) {
  const numbers = useMemo(() => {
    const out: number[] = [];
    for (const [from, to] of runs) for (let n = from; n <= to; n++) out.push(n);
    return out;
  }, [runs]);
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

  const size = total <= 200 ? "large" : total <= 1000 ? "medium" : total <= 4000 ? "small" : "tiny";

  return (
    <div className="flex flex-col gap-4">
      <Legend byState={byState} />
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
          <Cells numbers={numbers} codes={codes} size={size} />
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
      <TextAlternative byState={byState} />
    </div>
  );
}

const SIZES = {
  large: "h-7 min-w-7 px-0.5 text-[10px] leading-7 font-semibold text-center",
  medium: "size-3.5",
  small: "size-2.5",
  tiny: "size-1.5",
} as const;

/** How marked (dashed outline), selected (ring) and keyboard-current (solid outline while the grid has focus) cells look. */
const CELL_MARKS = [
  "[&>[data-marked]]:outline-2 [&>[data-marked]]:outline-offset-1 [&>[data-marked]]:outline-dashed [&>[data-marked]]:outline-stone-950",
  "[&>[data-selected]]:ring-2 [&>[data-selected]]:ring-brand-600 [&>[data-selected]]:ring-offset-1",
  "focus-visible:[&>[data-cursor]]:outline-2 focus-visible:[&>[data-cursor]]:outline-offset-1 focus-visible:[&>[data-cursor]]:outline-solid focus-visible:[&>[data-cursor]]:outline-brand-600",
].join(" ");

const Cells = memo(function Cells({ numbers, codes, size }: { numbers: number[]; codes: string; size: keyof typeof SIZES }) {
  const cells = [];
  const n = Math.min(numbers.length, codes.length);
  for (let i = 0; i < n; i++) {
    const state = INSTANCE_STATES[Number(codes[i])] ?? "queued";
    const style = INSTANCE_STATE_STYLES[state];
    const number = numbers[i]!;
    cells.push(
      <span
        key={i}
        data-i={i}
        data-state={state}
        title={`Instance ${number}: ${style.label.toLowerCase()}`}
        className={cn("cursor-pointer rounded-[2px]", SIZES[size], style.cell, size === "large" && style.text)}
      >
        {size === "large" ? number : null}
      </span>,
    );
  }
  return <>{cells}</>;
});

function Legend({ byState }: { byState: Map<InstanceState, number[]> }) {
  return (
    <ul aria-label="Legend: instances by state" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {INSTANCE_STATES.map((s) => (
        <li key={s} className="flex items-center gap-1.5">
          <span aria-hidden className={cn("inline-block size-3.5 rounded-[2px]", INSTANCE_STATE_STYLES[s].cell)} />
          {INSTANCE_STATE_STYLES[s].label}
          <span className="tabular-nums text-stone-700">{formatInteger(byState.get(s)?.length ?? 0)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The grid as text: the instance numbers in each state. */
const TextAlternative = memo(function TextAlternative({ byState }: { byState: Map<InstanceState, number[]> }) {
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

function GoToInstance({ numbers, onGo }: { numbers: number[]; onGo: (index: number) => void }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | undefined>();
  const id = useId();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(value);
        const i = Number.isSafeInteger(n) ? numbers.indexOf(n) : -1;
        if (i < 0) setError(`This task has no instance ${value}.`);
        else {
          setError(undefined);
          onGo(i);
        }
      }}
    >
      <Input
        id={`${id}-go`}
        label="Instance number"
        inputMode="numeric"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={error}
        className="w-40"
      />
      <Button type="submit" variant="secondary">
        Show instance
      </Button>
    </form>
  );
}

type Loaded = { key: string; instance?: InstanceJson; error?: string };

function InstanceDetails({
  taskId,
  instanceNumber,
  state,
  canCancel,
  marked,
  onToggleMark,
  onClose,
}: {
  taskId: string;
  instanceNumber: number;
  state: InstanceState;
  canCancel: boolean;
  marked: boolean;
  onToggleMark: () => void;
  onClose: () => void;
}) {
  const { showLogOf } = useWorkbench();
  // Fetched again when the grid shows the instance in another state.
  const key = `${instanceNumber}:${state}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetch(`/compute/tasks/${taskId}/instances?n=${instanceNumber}`, { signal: controller.signal, cache: "no-store" })
      .then(async (response) => {
        const body = (await response.json()) as InstanceJson | { error: string };
        setLoaded("error" in body ? { key, error: body.error } : { key, instance: body });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ key, error: error instanceof Error ? error.message : "Could not load this instance." });
      });
    return () => controller.abort();
  }, [taskId, instanceNumber, key]);
  const current = loaded?.key === key ? loaded : null;
  const instance = current?.instance;
  return (
    <section aria-labelledby={`instance-${instanceNumber}-title`} className="rounded-md border border-stone-300 bg-white p-3" data-testid="instance-details">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 id={`instance-${instanceNumber}-title`} className="font-semibold">
          Instance {instanceNumber}: {INSTANCE_STATE_STYLES[state].label.toLowerCase()}
        </h3>
        <span className="flex flex-wrap gap-2">
          <Button variant="secondary" size="sm" onClick={() => showLogOf(instanceNumber)}>
            Show its log
          </Button>
          {canCancel && (
            <Button variant="secondary" size="sm" aria-pressed={marked} onClick={onToggleMark}>
              {marked ? "Unmark" : "Mark for cancelling"}
            </Button>
          )}
          <Button variant="ghost" size="sm" onClick={onClose}>
            Close
          </Button>
        </span>
      </div>
      {!current && (
        <p role="status" className="text-sm text-stone-600">
          Loading…
        </p>
      )}
      {current?.error && (
        <p role="alert" className="text-sm text-red-700">
          {current.error}
        </p>
      )}
      {instance && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
          <dt className="text-stone-600">Attempts</dt>
          <dd className="tabular-nums">
            {instance.attemptCount} of {instance.maxAttempts}
          </dd>
          <dt className="text-stone-600">Progress</dt>
          <dd className="tabular-nums">{instance.progressPct === null ? "—" : `${Math.floor(instance.progressPct)} %`}</dd>
          <dt className="text-stone-600">Started</dt>
          <dd>{instance.startedAt ? formatDateTime(new Date(instance.startedAt)) : "—"}</dd>
          <dt className="text-stone-600">Ended</dt>
          <dd>{instance.endedAt ? formatDateTime(new Date(instance.endedAt)) : "—"}</dd>
          <dt className="text-stone-600">Wall time</dt>
          <dd className="tabular-nums">{formatDuration(instance.wallTimeS)}</dd>
          <dt className="text-stone-600">CPU time</dt>
          <dd className="tabular-nums">{formatCoreSeconds(instance.coreSeconds)}</dd>
          <dt className="text-stone-600">Energy</dt>
          <dd className="tabular-nums">{formatEnergyWh(instance.energyWh)}</dd>
          <dt className="text-stone-600">Exit code</dt>
          <dd className="tabular-nums">{instance.exitCode ?? "—"}</dd>
        </dl>
      )}
    </section>
  );
}

function CancelInstances({
  taskId,
  markText,
  setMarkText,
  markMode,
  setMarkMode,
  count,
  queued,
}: {
  taskId: string;
  markText: string;
  setMarkText: (text: string) => void;
  markMode: boolean;
  setMarkMode: (on: boolean) => void;
  count: number;
  queued: number[];
}) {
  const [confirming, setConfirming] = useState(false);
  const [state, action, pending] = useActionState<FormState, FormData>(async (previous, form) => {
    const result = await cancelInstancesAction(previous, form);
    setConfirming(false);
    if (!result.error) setMarkText("");
    return result;
  }, { error: null });
  const id = useId();
  return (
    <form action={action} className="flex flex-col gap-3 rounded-md border border-stone-200 p-3" aria-label="Cancel instances">
      <input type="hidden" name="taskId" value={taskId} />
      <div className="flex flex-wrap items-end gap-3">
        <Input
          id={`${id}-numbers`}
          name="instanceNumbers"
          label="Instances to cancel"
          hint='Numbers and ranges, e.g. "3,10-20"; or mark squares in the grid.'
          value={markText}
          onChange={(e) => {
            setMarkText(e.target.value);
            setConfirming(false);
          }}
          autoComplete="off"
          error={state.fieldErrors?.instanceNumbers ?? state.fieldErrors?.instanceNumbers_0}
          className="min-w-56 flex-1"
        />
        {!confirming && (
          <Button variant="secondary" disabled={markText.trim() === ""} onClick={() => setConfirming(true)}>
            Cancel instances…
          </Button>
        )}
      </div>
      <div className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={markMode} onChange={(e) => setMarkMode(e.target.checked)} className="size-4 accent-brand-700" />
          Clicking a square marks it
        </label>
        <Button variant="ghost" size="sm" disabled={queued.length === 0} onClick={() => setMarkText(formatInstanceRanges(queued))}>
          Mark all not started ({formatInteger(queued.length)})
        </Button>
        <Button variant="ghost" size="sm" disabled={markText === ""} onClick={() => setMarkText("")}>
          Clear marks
        </Button>
      </div>
      {confirming && (
        <div role="alertdialog" aria-labelledby={`${id}-confirm`} className="flex flex-wrap items-center gap-3 rounded-md bg-amber-50 p-3 ring-1 ring-amber-300">
          <p id={`${id}-confirm`} className="text-sm text-amber-950">
            Cancel {count > 0 ? formatInteger(count) : "these"} {count === 1 ? "instance" : "instances"} ({markText})? Running ones stop;
            this cannot be undone, but you can submit them again.
          </p>
          <Button type="submit" variant="danger" disabled={pending} autoFocus>
            {pending ? "Cancelling…" : `Yes, cancel ${count > 0 ? formatInteger(count) : ""} ${count === 1 ? "instance" : "instances"}`}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Keep them
          </Button>
        </div>
      )}
      <p role="status" className={cn("text-sm", state.error ? "text-red-700" : "text-green-800")}>
        {state.error ?? state.message}
      </p>
    </form>
  );
}

"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useWorkbench } from "./task-workbench";
import type { LogChunkJson } from "./types";

const POLL_MS = 2000;
/** Chunks kept on the page; older ones drop off the top. */
const MAX_CHUNKS = 5000;

type Log = { scope: string; chunks: LogChunkJson[]; cursor: string | undefined; caughtUp: boolean; error: string | null; dropped: number };

/**
 * A task's log, one stream at a time, for all instances or one. While the task is active and
 * "follow" is on it polls every 2 s and keeps the newest line in view; after the task ended it
 * loads the whole log once.
 */
export function LogTail({ taskId, active }: { taskId: string; active: boolean }) {
  const { logInstance, setLogInstance } = useWorkbench();
  const [stream, setStream] = useState<"stdout" | "stderr">("stdout");
  const [follow, setFollow] = useState(true);
  const [draft, setDraft] = useState<{ for: number | null; value: string }>({ for: logInstance, value: logInstance?.toString() ?? "" });
  const scope = `${stream}:${logInstance ?? "all"}`;
  const [log, setLog] = useState<Log>({ scope: "", chunks: [], cursor: undefined, caughtUp: false, error: null, dropped: 0 });
  const logRef = useRef(log);
  useEffect(() => {
    logRef.current = log;
  }, [log]);
  const preRef = useRef<HTMLPreElement>(null);
  const id = useId();
  const polling = active && follow;
  // The instance field follows the grid's "Show its log".
  const instanceText = draft.for === logInstance ? draft.value : (logInstance?.toString() ?? "");

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    let after = logRef.current.scope === scope ? logRef.current.cursor : undefined;
    async function tick() {
      const query = new URLSearchParams({ stream });
      if (logInstance !== null) query.set("instance", String(logInstance));
      if (after !== undefined) query.set("after", after);
      let more = false;
      try {
        const response = await fetch(`/compute/tasks/${taskId}/logs?${query}`, { cache: "no-store", signal: controller.signal });
        const body = (await response.json()) as { chunks: LogChunkJson[]; cursor: string; more: boolean } | { error: string };
        if ("error" in body) throw new Error(body.error);
        const chunks = body.chunks;
        more = body.more;
        const fresh = after === undefined;
        after = body.cursor;
        const cursor = after;
        setLog((prev) => {
          const base = prev.scope === scope && !fresh ? prev : { scope, chunks: [], cursor: undefined, caughtUp: false, error: null, dropped: 0 };
          const all = base.chunks.concat(chunks);
          const drop = Math.max(0, all.length - MAX_CHUNKS);
          return { scope, chunks: drop ? all.slice(drop) : all, cursor, caughtUp: !more, error: null, dropped: base.dropped + drop };
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        setLog((prev) => ({ ...prev, error: error instanceof Error ? error.message : "Could not load the log." }));
        if (polling) timer = window.setTimeout(tick, POLL_MS * 3);
        return;
      }
      if (controller.signal.aborted) return;
      // A full page: more is waiting, fetch it at once.
      if (more) timer = window.setTimeout(tick, 0);
      else if (polling) timer = window.setTimeout(tick, POLL_MS);
    }
    void tick();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [taskId, stream, logInstance, scope, polling]);

  const shown = log.scope === scope ? log : null;
  useEffect(() => {
    if (follow && preRef.current) preRef.current.scrollTop = preRef.current.scrollHeight;
  }, [shown?.chunks, follow]);

  const text = (shown?.chunks ?? [])
    .map((c) =>
      logInstance === null
        ? c.content
            .replace(/\n$/, "")
            .split("\n")
            .map((line) => `[${c.instanceNumber}] ${line}`)
            .join("\n") + "\n"
        : c.content,
    )
    .join("");
  const whose = logInstance === null ? "all instances" : `instance ${logInstance}`;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-4">
        <div role="group" aria-label="Stream" className="inline-flex rounded-md border border-stone-300 p-0.5">
          {(["stdout", "stderr"] as const).map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={stream === s}
              onClick={() => setStream(s)}
              className={cn("h-9 rounded px-3 font-mono text-sm", stream === s ? "bg-stone-800 text-white" : "text-stone-800 hover:bg-stone-100")}
            >
              {s}
            </button>
          ))}
        </div>
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const n = instanceText.trim() === "" ? null : Number(instanceText);
            setLogInstance(n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null);
          }}
        >
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-instance`} className="text-sm font-medium text-stone-800">
              Instance (empty: all)
            </label>
            <input
              id={`${id}-instance`}
              inputMode="numeric"
              value={instanceText}
              onChange={(e) => setDraft({ for: logInstance, value: e.target.value })}
              className="h-10 w-28 rounded-md border border-stone-300 px-3"
            />
          </div>
          <Button type="submit" variant="secondary">
            Show
          </Button>
          {logInstance !== null && (
            <Button variant="ghost" onClick={() => setLogInstance(null)}>
              All instances
            </Button>
          )}
        </form>
        {active && (
          <label className="flex h-10 items-center gap-2 text-sm">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} className="size-4 accent-brand-700" />
            Follow (new lines every 2 s)
          </label>
        )}
      </div>
      <pre
        ref={preRef}
        id="log-output"
        tabIndex={0}
        aria-label={`${stream} of ${whose}`}
        data-testid="log-output"
        className="max-h-96 min-h-32 overflow-auto whitespace-pre-wrap break-all rounded-md bg-stone-900 p-3 font-mono text-xs leading-5 text-stone-100"
      >
        {text || (shown ? `No ${stream} output from ${whose} yet.` : "Loading…")}
      </pre>
      <p role="status" className={cn("text-sm", shown?.error ? "text-red-700" : "text-stone-600")}>
        {shown?.error
          ? `${shown.error} Retrying…`
          : polling
            ? `Following ${stream} of ${whose}.`
            : active
              ? "Paused: tick Follow to resume."
              : shown?.caughtUp
                ? "The task has ended: this is its whole log."
                : ""}
        {shown && shown.dropped > 0 ? ` The oldest ${shown.dropped} chunks are not shown.` : ""}
      </p>
    </div>
  );
}

"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { readErrorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useWorkbench } from "./task-workbench";
import type { LogPage } from "./types";

const POLL_MS = 2000;
/** Chunks kept on the page, and characters of them (four pages of the server's at most); older ones drop off the top. */
const MAX_CHUNKS = 5000;
const MAX_CHARS = 1_000_000;

type LogPages = { pages: LogPage[]; pageParams: Array<string | null> };

/**
 * What the page keeps of a log it read page by page: the pages that hold chunks (and the last,
 * whose cursor is where to read on), and of those no older page than MAX_CHUNKS newer chunks need.
 * `dropped` counts the chunks let go.
 */
function trimmed(log: LogPages): { log: LogPages; dropped: number } {
  const last = log.pages.length - 1;
  const keep = log.pages.flatMap((page, i) => (i === last || page.chunks.length > 0 ? [i] : []));
  const charsOf = (page: LogPage) => page.chunks.reduce((sum, c) => sum + c.content.length, 0);
  let total = keep.reduce((sum, i) => sum + log.pages[i]!.chunks.length, 0);
  let chars = keep.reduce((sum, i) => sum + charsOf(log.pages[i]!), 0);
  let dropped = 0;
  while (
    keep.length > 1 &&
    (total - log.pages[keep[0]!]!.chunks.length >= MAX_CHUNKS || chars - charsOf(log.pages[keep[0]!]!) >= MAX_CHARS)
  ) {
    const oldest = log.pages[keep.shift()!]!;
    total -= oldest.chunks.length;
    chars -= charsOf(oldest);
    dropped += oldest.chunks.length;
  }
  if (keep.length === log.pages.length) return { log, dropped: 0 };
  return { log: { pages: keep.map((i) => log.pages[i]!), pageParams: keep.map((i) => log.pageParams[i]!) }, dropped };
}

/**
 * A task's log, one stream at a time, for all instances or one, read from `compute.logs` as an
 * infinite query: the first page is the end of the log (at most 256 KiB), each next one continues
 * from the previous page's cursor, and "Show earlier output" reads back a page at a time. While
 * the task is active and "follow" is on it reads a next page every 2 s and keeps the newest line
 * in view. A page that says more is waiting is followed by the next at once.
 */
export function LogTail({ taskId, active }: { taskId: string; active: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { logInstance, setLogInstance } = useWorkbench();
  const [stream, setStream] = useState<"stdout" | "stderr">("stdout");
  const [follow, setFollow] = useState(true);
  const [draft, setDraft] = useState<{ for: number | null; value: string }>({ for: logInstance, value: logInstance?.toString() ?? "" });
  const scope = `${stream}:${logInstance ?? "all"}`;
  // Chunks let go of to keep the page light, for the note under the log.
  const [trim, setTrim] = useState({ scope, dropped: 0 });
  const preRef = useRef<HTMLPreElement>(null);
  const id = useId();
  const polling = active && follow;
  // The instance field follows the grid's "Show its log".
  const instanceText = draft.for === logInstance ? draft.value : (logInstance?.toString() ?? "");

  const options = useMemo(
    () =>
      trpc.compute.logs.infiniteQueryOptions(
        { taskId, stream, instanceNumber: logInstance ?? undefined },
        {
          getNextPageParam: (page) => page.cursor,
          // Only a read from the end, or back, knows of earlier output.
          getPreviousPageParam: (page) => page.earlier ?? undefined,
          // A tail only grows: what was read is never read again (a refetch would read every page
          // again), so new pages come from fetchNextPage below, never from a refetch.
          staleTime: Infinity,
          refetchOnWindowFocus: false,
          refetchOnReconnect: false,
          retry: false,
          // Another stream or instance, and back: read from the top again.
          gcTime: 0,
        },
      ),
    [trpc, taskId, stream, logInstance],
  );
  const log = useInfiniteQuery(options);
  const { data, error, isFetching, fetchNextPage, fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage, refetch } = log;
  const lastPage = data?.pages.at(-1);
  const hasData = data !== undefined;

  useEffect(() => {
    if (isFetching) return;
    const delay = error ? (polling ? POLL_MS * 3 : null) : lastPage?.more ? 0 : polling ? POLL_MS : null;
    if (delay === null) return;
    const timer = window.setTimeout(() => {
      if (!hasData) {
        void refetch();
        return;
      }
      const current = queryClient.getQueryData(options.queryKey);
      const kept = current && trimmed(current);
      if (kept && kept.log !== current) {
        queryClient.setQueryData(options.queryKey, kept.log);
        if (kept.dropped > 0) setTrim((t) => ({ scope, dropped: (t.scope === scope ? t.dropped : 0) + kept.dropped }));
      }
      void fetchNextPage();
    }, delay);
    return () => window.clearTimeout(timer);
  }, [isFetching, error, lastPage, polling, hasData, refetch, fetchNextPage, queryClient, options.queryKey, scope]);

  // When the task ends, read what it wrote since the last page.
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active && hasData) void fetchNextPage();
    wasActive.current = active;
  }, [active, hasData, fetchNextPage]);

  const { chunks, dropped } = useMemo(() => {
    const all = (data?.pages ?? []).flatMap((page) => page.chunks);
    return { chunks: all.length > MAX_CHUNKS ? all.slice(-MAX_CHUNKS) : all, dropped: Math.max(0, all.length - MAX_CHUNKS) };
  }, [data]);
  const droppedInAll = dropped + (trim.scope === scope ? trim.dropped : 0);

  useEffect(() => {
    if (follow && preRef.current) preRef.current.scrollTop = preRef.current.scrollHeight;
  }, [chunks, follow]);

  const text = chunks
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
            <input
              type="checkbox"
              checked={follow}
              onChange={(e) => {
                setFollow(e.target.checked);
                // Following again reads at once, not after the next 2 s.
                if (e.target.checked) void (hasData ? fetchNextPage() : refetch());
              }}
              className="size-4 accent-brand-700"
            />
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
        {text || (hasData ? `No ${stream} output from ${whose} yet.` : "Loading…")}
      </pre>
      <p role="status" className={cn("text-sm", error ? "text-red-700" : "text-stone-600")}>
        {error
          ? `${readErrorMessage(error, "Could not load the log.")} Retrying…`
          : polling
            ? `Following ${stream} of ${whose}.`
            : active
              ? "Paused: tick Follow to resume."
              : lastPage && !lastPage.more
                ? hasPreviousPage
                  ? "The task has ended: this is the end of its log."
                  : "The task has ended: this is its whole log."
                : ""}
        {droppedInAll > 0 ? ` The oldest ${droppedInAll} chunks are not shown.` : ""}
        {hasPreviousPage && droppedInAll === 0 ? " Earlier output is not shown." : ""}
      </p>
      {hasPreviousPage && (
        <div>
          <Button variant="secondary" size="sm" disabled={isFetchingPreviousPage} onClick={() => void fetchPreviousPage()}>
            {isFetchingPreviousPage ? "Reading earlier output…" : "Show earlier output"}
          </Button>
        </div>
      )}
    </div>
  );
}

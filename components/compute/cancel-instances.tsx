"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useId, useState } from "react";
import { cancelInstancesAction } from "@/server/actions/compute";
import type { FormState } from "@/server/actions/form-state";
import { formatInteger } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { formatInstanceRanges } from "@/server/domain/instance-ranges";

/**
 * Cancels the instances given by number and range, or marked in the grid (`markText`, shared
 * with it), after a confirmation; the grid is read again at once to show them cancelled.
 */
export function CancelInstances({
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
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [state, action, pending] = useActionState<FormState, FormData>(async (previous, form) => {
    const result = await cancelInstancesAction(previous, form);
    setConfirming(false);
    if (!result.error) {
      setMarkText("");
      void queryClient.invalidateQueries({ queryKey: trpc.compute.instanceGrid.queryKey({ taskId }) });
    }
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

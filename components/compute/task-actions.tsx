"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import { cancelTaskAction, rerunFailedAction } from "@/server/actions/compute";
import type { FormState } from "@/server/actions/form-state";
import { formatInteger } from "@/components/format";
import { Button, buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

/**
 * Cancel the whole task (after a confirmation), run its failed instances again, or clone it into
 * the submit form. Both work
 * before the page's script has loaded: the confirmation is a native disclosure and the forms
 * post to server actions.
 */
export function TaskActions({ taskId, canCancel, failed }: { taskId: string; canCancel: boolean; failed: number }) {
  const [cancelState, cancel, cancelling] = useActionState<FormState, FormData>(cancelTaskAction, { error: null });
  const [rerunState, rerun, rerunning] = useActionState<FormState, FormData>(rerunFailedAction, { error: null });
  const confirmRef = useRef<HTMLDetailsElement>(null);
  const status = [cancelState, rerunState].find((s) => s.error || s.message);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-start gap-2">
        <Link href={`/compute/tasks/new?from=${taskId}`} className={buttonClasses("secondary")}>
          Clone task
        </Link>
        {failed > 0 && (
          <form action={rerun}>
            <input type="hidden" name="taskId" value={taskId} />
            <Button type="submit" disabled={rerunning}>
              {rerunning ? "Queuing…" : `Rerun ${formatInteger(failed)} failed ${failed === 1 ? "instance" : "instances"}`}
            </Button>
          </form>
        )}
        {canCancel && (
          <details ref={confirmRef} className="group w-full sm:w-auto">
            <summary className={cn(buttonClasses("secondary"), "list-none group-open:hidden [&::-webkit-details-marker]:hidden")}>Cancel task…</summary>
            <form action={cancel} className="flex flex-wrap items-center gap-3 rounded-md bg-amber-50 p-3 ring-1 ring-amber-300">
              <input type="hidden" name="taskId" value={taskId} />
              <p id="cancel-task-question" className="text-sm text-amber-950">
                Cancel the whole task? Instances not started are dropped and running ones stop; finished ones keep their results.
              </p>
              <Button type="submit" variant="danger" disabled={cancelling} aria-describedby="cancel-task-question">
                {cancelling ? "Cancelling…" : "Yes, cancel the task"}
              </Button>
              <Button variant="secondary" onClick={() => confirmRef.current?.removeAttribute("open")}>
                Keep it running
              </Button>
            </form>
          </details>
        )}
      </div>
      <p role="status" className={cn("text-sm", status?.error ? "text-red-700" : "text-green-800")}>
        {status?.error ?? status?.message}
      </p>
    </div>
  );
}

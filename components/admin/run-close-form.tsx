"use client";

import { useActionState } from "react";
import { runCloseAction } from "@/server/actions/refunds";
import type { FormState } from "@/server/actions/form-state";
import { FormFooter } from "@/components/ui/form-footer";

/** Runs the month's close; a second run writes nothing new and says so. */
export function RunCloseForm({ month, label }: { month: string; label: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(runCloseAction, { error: null });
  return (
    <form action={action} className="flex flex-col gap-2">
      <input type="hidden" name="month" value={month} />
      <FormFooter label={label} pendingLabel="Closing…" pending={pending} error={state.error} />
      {state.message && (
        <p role="status" className="text-sm text-green-800">
          {state.message}
        </p>
      )}
    </form>
  );
}

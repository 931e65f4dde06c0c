"use client";

import { useActionState } from "react";
import type { FormState } from "@/server/actions/form-state";

/**
 * A form bound to a server action: its state, whether it is pending, and what a refused
 * submission typed and was told field by field, to show again.
 */
export function useFormAction(formAction: (state: FormState, form: FormData) => Promise<FormState>) {
  const [state, action, pending] = useActionState<FormState, FormData>(formAction, { error: null });
  return { state, action, pending, typed: state.values ?? {}, errors: state.fieldErrors ?? {} };
}

/** What went right, announced to screen readers too. */
export function FormDone({ state }: { state: FormState }) {
  return state.message ? (
    <p role="status" className="text-sm text-green-800 sm:col-span-2">
      {state.message}
    </p>
  ) : null;
}

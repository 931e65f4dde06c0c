import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { fieldErrorsOf } from "@/server/api/trpc";

/** What a form action answers its form. */
export type FormState = {
  error: string | null;
  fieldErrors?: Record<string, string>;
  /** What went right, to announce. */
  message?: string;
  /** A secret shown once (an API key, a gateway credential). */
  secret?: string;
  /** What was typed in a refused form, so that the form shows it again rather than empty fields. */
  values?: Record<string, string>;
};

/** A form's text fields as submitted (files and the framework's own `$ACTION` fields aside). */
export function submittedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === "string" && !name.startsWith("$ACTION")) values[name] = value;
  }
  return values;
}

/**
 * The one mapping of a refused procedure call to a form's messages: field errors next to their
 * fields, a record gone since the page loaded, or the refusal's own sentence. Faults are rethrown.
 */
export function formRefusal(error: unknown, fieldNames: Record<string, string> = {}): FormState {
  if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") throw error;
  if (error.cause instanceof ZodError) {
    const fieldErrors = Object.fromEntries(
      Object.entries(fieldErrorsOf(error.cause)).map(([field, message]) => [fieldNames[field] ?? field, message]),
    );
    if (Object.keys(fieldErrors).length > 0) return { error: "Check the highlighted fields.", fieldErrors };
  }
  if (error.code === "NOT_FOUND") return { error: "This no longer exists: reload the page." };
  return { error: error.message };
}

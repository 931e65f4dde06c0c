"use client";

import { useEffect, useRef } from "react";

/**
 * The problems of a refused form, all at once, at its top: it takes focus when a submission is
 * refused (so that keyboard and screen reader users land on it) and links to each field.
 * `refusal` changes with each refused submission, so that a second refusal takes focus again.
 */
export function ErrorSummary({
  title = "There is a problem",
  errors,
  refusal,
}: {
  title?: string;
  /** Each problem with the id of the field to fix; an empty id lists the problem without a link. */
  errors: Array<{ fieldId: string; message: string }>;
  refusal: unknown;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
    // Focus moves on each refused submission only, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refusal]);
  if (errors.length === 0) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
      data-testid="error-summary"
      className="rounded-lg border-2 border-red-700 bg-white p-4 focus:outline-3 focus:outline-offset-2 focus:outline-red-700"
    >
      <h2 id="error-summary-title" className="text-base font-semibold text-red-800">
        {title}
      </h2>
      <ul className="mt-2 flex list-disc flex-col gap-1 pl-5 text-sm">
        {errors.map(({ fieldId, message }) => (
          <li key={`${fieldId}:${message}`}>
            {fieldId ? (
              <a
                href={`#${fieldId}`}
                className="text-red-800 underline underline-offset-2"
                onClick={(event) => {
                  // Focus the field itself (a plain jump to the anchor scrolls but does not focus).
                  const field = document.getElementById(fieldId);
                  if (!field) return;
                  event.preventDefault();
                  field.focus();
                  field.scrollIntoView({ block: "center" });
                }}
              >
                {message}
              </a>
            ) : (
              message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

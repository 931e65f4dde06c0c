"use client";

import { TARGET_STEP_C } from "@/server/domain/heating";
import { useHeatingFormat } from "./heating-client";
import { canLower, canRaise, steppedTarget } from "./target-draft";

/**
 * A temperature of a form, set with − and + in 0.5 °C steps within 7–28 °C. `id` is the value's
 * (an error summary focuses it); its error shows beneath.
 */
export function TempStepper({
  id,
  label,
  valueC,
  onChange,
  lowerLabel,
  raiseLabel,
  error,
}: {
  id: string;
  label: string;
  valueC: number;
  onChange: (valueC: number) => void;
  lowerLabel: string;
  raiseLabel: string;
  error?: string;
}) {
  const f = useHeatingFormat(null);
  const button =
    "flex size-11 items-center justify-center rounded-full border-2 border-brand-700 bg-white text-xl font-semibold text-brand-700 " +
    "hover:bg-brand-50 disabled:cursor-not-allowed disabled:border-stone-300 disabled:text-stone-400";
  return (
    <div className="flex flex-col gap-1">
      <span id={`${id}-label`} className="text-sm font-medium text-stone-800">
        {label}
      </span>
      <div className="flex items-center gap-2">
        <button type="button" className={button} aria-label={lowerLabel} disabled={!canLower(valueC)} onClick={() => onChange(steppedTarget(valueC, -TARGET_STEP_C))}>
          <span aria-hidden="true">−</span>
        </button>
        <output
          id={id}
          tabIndex={-1}
          aria-labelledby={`${id}-label`}
          aria-describedby={error ? `${id}-error` : undefined}
          aria-live="polite"
          className={`min-w-20 text-center text-lg font-semibold tabular-nums ${error ? "text-red-800" : "text-stone-900"}`}
        >
          {f.temp(valueC)}
        </output>
        <button type="button" className={button} aria-label={raiseLabel} disabled={!canRaise(valueC)} onClick={() => onChange(steppedTarget(valueC, TARGET_STEP_C))}>
          <span aria-hidden="true">+</span>
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

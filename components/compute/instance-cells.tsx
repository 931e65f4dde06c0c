"use client";

import { memo } from "react";
import { cn } from "@/components/ui/cn";
import { INSTANCE_STATE_STYLES } from "./format";
import { INSTANCE_STATES } from "./types";

export const SIZES = {
  large: "h-7 min-w-7 px-0.5 text-[10px] leading-7 font-semibold text-center",
  medium: "size-3.5",
  small: "size-2.5",
  tiny: "size-1.5",
} as const;

export type CellSize = keyof typeof SIZES;

/** Up to 200 squares carry their number; 10,000 still fit a screen as 6-pixel squares. */
export const cellSizeFor = (total: number): CellSize => (total <= 200 ? "large" : total <= 1000 ? "medium" : total <= 4000 ? "small" : "tiny");

/** How marked (dashed outline), selected (ring) and keyboard-current (solid outline while the grid has focus) cells look. */
export const CELL_MARKS = [
  "[&>[data-marked]]:outline-2 [&>[data-marked]]:outline-offset-1 [&>[data-marked]]:outline-dashed [&>[data-marked]]:outline-stone-950",
  "[&>[data-selected]]:ring-2 [&>[data-selected]]:ring-brand-600 [&>[data-selected]]:ring-offset-1",
  "focus-visible:[&>[data-cursor]]:outline-2 focus-visible:[&>[data-cursor]]:outline-offset-1 focus-visible:[&>[data-cursor]]:outline-solid focus-visible:[&>[data-cursor]]:outline-brand-600",
].join(" ");

/** One square per instance; `codes` has one character per instance, the index of its state in INSTANCE_STATES. */
export const Cells = memo(function Cells({ numbers, codes, size }: { numbers: number[]; codes: string; size: CellSize }) {
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

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

/** One square per instance; `codes` has one entry per instance, the index of its state in INSTANCE_STATES. */
export const Cells = memo(function Cells({ numbers, codes, size }: { numbers: number[]; codes: Uint8Array; size: CellSize }) {
  const cells = [];
  const n = Math.min(numbers.length, codes.length);
  for (let i = 0; i < n; i++) {
    const state = INSTANCE_STATES[codes[i]!] ?? "queued";
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

/** How many instances of each state (by index in INSTANCE_STATES) the block `b` of `blockSize` instances holds. */
function blockCounts(codes: Uint8Array, blockSize: number, b: number): number[] {
  const counts = INSTANCE_STATES.map(() => 0);
  const end = Math.min(codes.length, (b + 1) * blockSize);
  for (let i = b * blockSize; i < end; i++) counts[codes[i]!]!++;
  return counts;
}

/** What a block holds, in words: "Instances 1000 to 1049: 40 running, 10 queued". */
export function describeBlock(numbers: number[], codes: Uint8Array, blockSize: number, b: number, counts = blockCounts(codes, blockSize, b)): string {
  const first = numbers[b * blockSize];
  const last = numbers[Math.min(numbers.length, (b + 1) * blockSize) - 1];
  const mix = INSTANCE_STATES.flatMap((s, c) => (counts[c]! > 0 ? [`${counts[c]} ${INSTANCE_STATE_STYLES[s].label.toLowerCase()}`] : []));
  return `Instances ${first} to ${last}: ${mix.join(", ")}`;
}

/**
 * One square per block of `blockSize` consecutive instances, for tasks too large for a square
 * each: coloured by the state most of them are in, with a strip at the bottom, as high as its
 * share, in the colour of the next most common state when they are mixed.
 */
export const Blocks = memo(function Blocks({ numbers, codes, blockSize }: { numbers: number[]; codes: Uint8Array; blockSize: number }) {
  const blocks = [];
  const n = Math.ceil(Math.min(numbers.length, codes.length) / blockSize);
  for (let b = 0; b < n; b++) {
    const counts = blockCounts(codes, blockSize, b);
    const order = counts.map((count, c) => [count, c] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    const [[topCount, top], [nextCount, next]] = [order[0]!, order[1]!];
    const size = counts.reduce((sum, c) => sum + c, 0);
    const state = INSTANCE_STATES[top] ?? "queued";
    blocks.push(
      <span
        key={b}
        data-i={b}
        data-state={state}
        title={describeBlock(numbers, codes, blockSize, b, counts)}
        className={cn("relative cursor-pointer overflow-hidden rounded-[2px]", SIZES.small, INSTANCE_STATE_STYLES[state].cell)}
      >
        {nextCount > 0 && (
          <span
            className={cn("absolute inset-x-0 bottom-0", INSTANCE_STATE_STYLES[INSTANCE_STATES[next] ?? "queued"].cell)}
            style={{ height: `${Math.max(20, Math.round((100 * (size - topCount)) / size))}%` }}
          />
        )}
      </span>,
    );
  }
  return <>{blocks}</>;
});

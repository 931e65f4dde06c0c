import { formatInteger, formatOneDecimal } from "@/components/format";
import { INSTANCE_STATE_WORDS } from "@/server/domain/instance-vocabulary";
import type { InstanceState, TaskState } from "./types";

/** An estimate of time to come, deliberately rounded. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "not known yet";
  if (seconds < 60) return "less than a minute";
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `about ${formatOneDecimal(seconds / 3600)} h`;
  return `about ${formatOneDecimal(seconds / 86_400)} days`;
}

/** CPU time: core-seconds under an hour, core-hours above. */
export function formatCoreSeconds(coreSeconds: number): string {
  if (coreSeconds < 3600) return `${formatInteger(coreSeconds)} core-s`;
  return `${formatOneDecimal(coreSeconds / 3600)} core-h`;
}

export function formatEnergyWh(energyWh: number): string {
  return energyWh >= 10_000 ? `${formatOneDecimal(energyWh / 1000)} kWh` : `${formatInteger(energyWh)} Wh`;
}

/** Carbon in gCO2e under a kilogram, kgCO2e above, to one decimal; a trace that would read 0 reads "< 0.1 gCO2e". */
export function formatCarbonG(grams: number): string {
  if (grams > 0 && grams < 0.05) return "< 0.1 gCO2e";
  return grams >= 999.95 ? `${formatOneDecimal(grams / 1000)} kgCO2e` : `${formatOneDecimal(grams)} gCO2e`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatInteger(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatOneDecimal(bytes / 1024)} KiB`;
  return `${formatOneDecimal(bytes / 1024 / 1024)} MiB`;
}

const price = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 4, maximumFractionDigits: 4 });
export const formatPrice = (n: number) => price.format(n);

/** Task states in plain words (Qarnot's names stay in the filter values and the API). */
export { TASK_STATE_WORDS as TASK_STATE_LABELS, TASK_STATE_TONES } from "@/server/domain/instance-vocabulary";

export const isActiveTaskState = (state: TaskState) => state !== "Success" && state !== "Failure" && state !== "Cancelled";

/**
 * Cell colours of the instance grid: distinct in hue and lightness, failed ones striped so that
 * they stand apart from succeeded ones without colour; explained by a legend and a text alternative.
 * Labels are the shared vocabulary (server/domain/instance-vocabulary.ts).
 * `text` is the colour of a number written on the cell (4.5:1 against it).
 */
export const INSTANCE_STATE_STYLES: Record<InstanceState, { label: string; cell: string; text: string }> = {
  waiting: { label: INSTANCE_STATE_WORDS.waiting, cell: "bg-stone-300", text: "text-stone-900" },
  queued: { label: INSTANCE_STATE_WORDS.queued, cell: "bg-sky-300", text: "text-stone-900" },
  dispatched: { label: INSTANCE_STATE_WORDS.dispatched, cell: "bg-indigo-400", text: "text-stone-950" },
  running: { label: INSTANCE_STATE_WORDS.running, cell: "bg-blue-700", text: "text-white" },
  succeeded: { label: INSTANCE_STATE_WORDS.succeeded, cell: "bg-green-700", text: "text-white" },
  failed: {
    label: INSTANCE_STATE_WORDS.failed,
    cell: "bg-red-700 bg-[repeating-linear-gradient(135deg,transparent_0_2px,rgb(254_202_202/0.9)_2px_3px)]",
    text: "text-white",
  },
  cancelled: { label: INSTANCE_STATE_WORDS.cancelled, cell: "bg-stone-600", text: "text-white" },
};

import { MAX_PROGRAMME_BLOCKS, TARGET_BOUNDS_C, targetRefusal } from "@/server/domain/heating";

/** A key of heating.errors with its values. */
export type RefusalMessage =
  | { key: "ecoAboveComfort" | "endAfterStart" | "overlap" | "other" }
  | { key: "temperature"; values: { min: number; max: number } }
  | { key: "tooMany"; values: { max: number } };

/**
 * The message for a field the domain or the server refused (they name fields alike:
 * "blocks.3.endMinute", "ecoC"), in the words of the pages' message files. `ecoC` is the value
 * sent, to tell an eco temperature out of bounds from one above comfort.
 */
export function refusalMessage(field: string, values: { ecoC?: number } = {}): RefusalMessage {
  if (field === "ecoC" && values.ecoC !== undefined && targetRefusal(values.ecoC) === null) return { key: "ecoAboveComfort" };
  if (/(^|\.)(targetC|comfortC|ecoC)$/.test(field)) return { key: "temperature", values: { min: TARGET_BOUNDS_C.min, max: TARGET_BOUNDS_C.max } };
  // The pages offer only quarter hours within the day: a refused time is an end not after its start.
  if (/^blocks\.\d+\.(startMinute|endMinute)$/.test(field)) return { key: "endAfterStart" };
  if (/^blocks\.\d+$/.test(field)) return { key: "overlap" };
  if (field === "blocks") return { key: "tooMany", values: { max: MAX_PROGRAMME_BLOCKS } };
  return { key: "other" };
}

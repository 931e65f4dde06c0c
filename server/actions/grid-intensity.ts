"use server";

import { revalidatePath } from "next/cache";
import { serverApi } from "@/server/api/request-context";
import { decodeCsvBytes, GRID_CSV_MAX_BYTES, typedGramsToMg } from "@/server/domain/grid-intensity-csv";
import { countOf, formatViewDateTime } from "@/server/domain/view-time";
import { formRefusal, submittedValues, type FormState } from "./form-state";

const PATH = "/admin/carbon";
const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function addGridVersionAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("staff", PATH);
  const intensityMgPerKWh = typedGramsToMg(text(form, "intensityGPerKWh"));
  if (intensityMgPerKWh === null) {
    return {
      error: "Check the highlighted fields.",
      fieldErrors: { intensityGPerKWh: "Write the intensity in g/kWh, from 0 to 2000, with at most three decimals (21.7)." },
      values: submittedValues(form),
    };
  }
  try {
    await api.gridIntensity.addVersion({
      country: text(form, "country").trim().toUpperCase(),
      effectiveFrom: text(form, "effectiveFrom"),
      intensityMgPerKWh,
      source: text(form, "source").trim(),
    });
  } catch (error) {
    return { ...formRefusal(error, { intensityMgPerKWh: "intensityGPerKWh" }), values: submittedValues(form) };
  }
  revalidatePath(PATH);
  return { error: null, message: "Annual figure added." };
}

/** What loading a file answers its form: beside the form's state, each bad line of a refused file. */
export type GridImportState = FormState & { badLines?: string[] };

export async function importGridCsvAction(_: GridImportState, form: FormData): Promise<GridImportState> {
  const api = await serverApi("staff", PATH);
  const values = submittedValues(form);
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) {
    return { error: "Check the highlighted fields.", fieldErrors: { file: "Choose a CSV file to load." }, values };
  }
  if (file.size > GRID_CSV_MAX_BYTES) {
    const mb = (file.size / 1_000_000).toLocaleString("en-GB", { maximumFractionDigits: 1 });
    return { error: "Check the highlighted fields.", fieldErrors: { file: `The file is ${mb} MB; at most 5 MB load at once: split it by months.` }, values };
  }
  const csv = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
  try {
    const loaded = await api.gridIntensity.importHourly({
      country: text(form, "country").trim().toUpperCase(),
      source: text(form, "source").trim(),
      fileName: file.name.slice(0, 255) || "upload.csv",
      csv,
    });
    revalidatePath(PATH);
    const replaced = loaded.replaced > 0 ? `, ${loaded.replaced.toLocaleString("en-GB")} of them replacing an earlier load` : "";
    const skipped = loaded.skippedLines > 0 ? ` ${countOf(loaded.skippedLines, "line")} without a value skipped.` : " No line skipped.";
    return {
      error: null,
      message:
        `Loaded ${countOf(loaded.hours, "hour")}${replaced}, starting ${formatViewDateTime(loaded.firstHourStart)} ` +
        `to ${formatViewDateTime(loaded.lastHourStart)}.${skipped}`,
    };
  } catch (error) {
    const refusal = formRefusal(error, { csv: "file", fileName: "file" });
    const fieldErrors = refusal.fieldErrors ?? {};
    const badLines = Object.entries(fieldErrors)
      .filter(([field]) => field.startsWith("csv.line."))
      .map(([, message]) => message);
    const shown = Object.fromEntries(Object.entries(fieldErrors).filter(([field]) => !field.startsWith("csv.line.")));
    return { ...refusal, fieldErrors: shown, badLines, values };
  }
}

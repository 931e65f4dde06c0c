"use client";

import { useActionState, useState, type FormEvent } from "react";
import { importGridCsvAction, type GridImportState } from "@/server/actions/grid-intensity";
import { GRID_CSV_MAX_BYTES } from "@/server/domain/grid-intensity-csv";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";

/** Loads a CSV of hourly intensities; a refused file lists its bad lines, a loaded one what it loaded. */
export function GridImportForm() {
  const [state, action, pending] = useActionState<GridImportState, FormData>(importGridCsvAction, { error: null });
  // A file too large is refused here, before its upload; the server refuses it too.
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const typed = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const fileError = tooLarge ?? errors.file ?? errors.csv;
  const badLines = state.badLines ?? [];

  function checkSize(event: FormEvent<HTMLFormElement>) {
    const file = (event.currentTarget.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    if (file && file.size > GRID_CSV_MAX_BYTES) {
      event.preventDefault();
      const mb = (file.size / 1_000_000).toLocaleString("en-GB", { maximumFractionDigits: 1 });
      setTooLarge(`The file is ${mb} MB; at most 5 MB load at once: split it by months.`);
    } else setTooLarge(null);
  }

  return (
    <form key={JSON.stringify(typed)} action={action} onSubmit={checkSize} className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      <Input
        id="import-file"
        name="file"
        type="file"
        label="CSV file"
        hint="RTE's éCO2mix export (columns Date, Heures and Taux de CO2, in Paris time), or the columns hour_start and intensity_g_per_kwh (ISO times with their offset); at most 5 MB."
        accept=".csv,.txt,.xls,text/csv,text/plain"
        required
        className="sm:col-span-2"
        error={fileError}
      />
      <Input id="import-country" name="country" label="Country" hint="Two letters, e.g. FR." required maxLength={2} defaultValue={typed.country ?? "FR"} error={errors.country} />
      <Input
        id="import-source"
        name="source"
        label="Source"
        hint="e.g. RTE éCO2mix, consolidated data, 2025."
        required
        maxLength={200}
        defaultValue={typed.source}
        error={errors.source}
      />
      {badLines.length > 0 && (
        <div className="sm:col-span-2">
          <p className="text-sm font-medium text-red-800">Lines to fix (nothing was loaded):</p>
          <ul aria-label="Lines to fix" className="mt-1 list-disc pl-5 text-sm text-red-700">
            {badLines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      <FormFooter className="sm:col-span-2" label="Load file" pendingLabel="Loading…" pending={pending} error={tooLarge ? "Check the highlighted fields." : state.error} />
      {state.message && (
        <p role="status" className="text-sm text-green-800 sm:col-span-2">
          {state.message}
        </p>
      )}
    </form>
  );
}

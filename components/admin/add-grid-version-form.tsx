"use client";

import { addGridVersionAction } from "@/server/actions/grid-intensity";
import { FormDone, useFormAction } from "@/components/ui/form-action";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";

/** A new annual figure of a country's grid intensity (the methodology's fallback where no hourly series covers an hour). */
export function AddGridVersionForm() {
  const { state, action, pending, typed, errors } = useFormAction(addGridVersionAction);
  return (
    // A refused form comes back with what was typed: React resets a form after its action, to these values.
    <form key={JSON.stringify(typed)} action={action} className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      <Input id="version-country" name="country" label="Country" hint="Two letters, e.g. FR." required maxLength={2} defaultValue={typed.country ?? "FR"} error={errors.country} />
      <Input id="version-effectiveFrom" name="effectiveFrom" label="Effective from" hint="From 00:00 UTC on this day." type="date" required defaultValue={typed.effectiveFrom} error={errors.effectiveFrom} />
      <Input
        id="version-intensityGPerKWh"
        name="intensityGPerKWh"
        label="Intensity (g CO2e per kWh)"
        hint="Up to three decimals, e.g. 21.7."
        inputMode="decimal"
        required
        defaultValue={typed.intensityGPerKWh}
        error={errors.intensityGPerKWh}
      />
      <Input
        id="version-source"
        name="source"
        label="Source"
        hint="Who published the figure, and when, e.g. RTE, Bilan électrique 2025."
        required
        maxLength={200}
        defaultValue={typed.source}
        error={errors.source}
      />
      <FormFooter className="sm:col-span-2" label="Add annual figure" pendingLabel="Adding…" pending={pending} error={state.error} />
      <FormDone state={state} />
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { addTariffAction } from "@/server/actions/refunds";
import type { FormState } from "@/server/actions/form-state";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";

export function AddTariffForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(addTariffAction, { error: null });
  const typed = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  return (
    // A refused form comes back with what was typed: React resets a form after its action, to these values.
    <form key={JSON.stringify(typed)} action={action} className="grid gap-4 sm:grid-cols-2">
      <Input id="country" name="country" label="Country" hint="Two letters, e.g. FR." required maxLength={2} defaultValue={typed.country ?? "FR"} error={errors.country} />
      <Input id="option" name="option" label="Tariff option" hint="As on enrolments, e.g. base-6kva." required defaultValue={typed.option ?? "base-6kva"} error={errors.option} />
      <Input id="label" name="label" label="Label" required defaultValue={typed.label ?? "Tarif Bleu, Base 6 kVA"} error={errors.label} />
      <Input id="effectiveFrom" name="effectiveFrom" label="Effective from" type="date" required defaultValue={typed.effectiveFrom} error={errors.effectiveFrom} />
      <Input
        id="priceEurosPerKWh"
        name="priceEurosPerKWh"
        label="Price (€ per kWh, taxes included)"
        inputMode="decimal"
        required
        hint="Up to six decimals, e.g. 0.1940."
        defaultValue={typed.priceEurosPerKWh}
        error={errors.priceEurosPerKWh}
      />
      <Input id="source" name="source" label="Source" hint="The decision or table the price comes from." required defaultValue={typed.source} error={errors.source} />
      <FormFooter className="sm:col-span-2" label="Add tariff version" pendingLabel="Adding…" pending={pending} error={state.error} />
      {state.message && (
        <p role="status" className="text-sm text-green-800 sm:col-span-2">
          {state.message}
        </p>
      )}
    </form>
  );
}

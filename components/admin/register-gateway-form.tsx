"use client";

import { useActionState } from "react";
import { registerGatewayAction } from "@/server/actions/fleet";
import type { FormState } from "@/server/actions/form-state";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export function RegisterGatewayForm({ buildings }: { buildings: Array<{ id: string; name: string; siteName: string }> }) {
  const [state, action, pending] = useActionState<FormState, FormData>(registerGatewayAction, { error: null });
  const typed = state.values ?? {};
  return (
    // A refused form comes back with what was typed: React resets a form after its action, to these values.
    <form key={JSON.stringify(typed)} action={action} className="grid gap-4 sm:grid-cols-2">
      <Select
        id="buildingId"
        name="buildingId"
        label="Building"
        options={buildings.map((b) => ({ value: b.id, label: `${b.siteName} — ${b.name}` }))}
        defaultValue={typed.buildingId}
        error={state.fieldErrors?.buildingId}
      />
      <Input
        id="dwellingLabel"
        name="dwellingLabel"
        label="Dwelling (optional)"
        hint="For a gateway in one flat, e.g. A-204; leave empty for a building gateway."
        defaultValue={typed.dwellingLabel}
        error={state.fieldErrors?.dwellingLabel}
      />
      <Input id="serial" name="serial" label="Serial" required defaultValue={typed.serial} error={state.fieldErrors?.serial} />
      <Input
        id="firmwareVersion"
        name="firmwareVersion"
        label="Firmware version"
        defaultValue={typed.firmwareVersion ?? "2.4.1"}
        required
        error={state.fieldErrors?.firmwareVersion}
      />
      <FormFooter className="sm:col-span-2" label="Register gateway" pendingLabel="Registering…" pending={pending} error={state.error} />
    </form>
  );
}

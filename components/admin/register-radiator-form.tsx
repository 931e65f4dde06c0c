"use client";

import { useActionState } from "react";
import { registerRadiatorAction } from "@/server/actions/fleet";
import type { FormState } from "@/server/actions/form-state";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export function RegisterRadiatorForm({
  gatewayId,
  rooms,
  models,
}: {
  gatewayId: string;
  rooms: Array<{ id: string; name: string; dwellingLabel: string | null }>;
  models: Array<{ id: string; name: string; maxPowerW: number; cores: number }>;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(registerRadiatorAction, { error: null });
  const typed = state.values ?? {};
  return (
    // A refused form comes back with what was typed: React resets a form after its action, to these values.
    <form key={JSON.stringify(typed)} action={action} className="grid gap-4 sm:grid-cols-2">
      <input type="hidden" name="gatewayId" value={gatewayId} />
      <Select
        id="roomId"
        name="roomId"
        label="Room"
        options={rooms.map((r) => ({ value: r.id, label: r.dwellingLabel ? `${r.dwellingLabel} — ${r.name}` : r.name }))}
        defaultValue={typed.roomId}
        error={state.fieldErrors?.roomId}
      />
      <Select
        id="hardwareModelId"
        name="hardwareModelId"
        label="Hardware model"
        options={models.map((m) => ({ value: m.id, label: `${m.name} (${m.maxPowerW} W, ${m.cores} cores)` }))}
        defaultValue={typed.hardwareModelId}
        error={state.fieldErrors?.hardwareModelId}
      />
      <Input id="radiatorSerial" name="serial" label="Serial" required defaultValue={typed.serial} error={state.fieldErrors?.serial} />
      <Input
        id="installedOn"
        name="installedOn"
        type="date"
        label="Installed on"
        required
        defaultValue={typed.installedOn ?? new Date().toISOString().slice(0, 10)}
        error={state.fieldErrors?.installedOn}
      />
      <FormFooter className="sm:col-span-2" label="Register radiator" pendingLabel="Registering…" pending={pending} error={state.error} />
    </form>
  );
}

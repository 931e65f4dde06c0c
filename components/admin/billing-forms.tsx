"use client";

import { useId } from "react";
import { addRateAction, grantCreditsAction, setBudgetAction } from "@/server/actions/billing";
import { FormDone, useFormAction } from "@/components/ui/form-action";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type Organization = { id: string; name: string };

/** The customer organization a staff form acts on. */
function CustomerSelect({ id, organizations, value, error }: { id: string; organizations: Organization[]; value?: string; error?: string }) {
  return (
    <Select
      id={`${id}-organization`}
      name="organizationId"
      label="Customer"
      defaultValue={value}
      options={organizations.map((o) => ({ value: o.id, label: o.name }))}
      error={error}
    />
  );
}

/** A new rate for a scheduling type, from a later day. */
export function AddRateForm() {
  const { state, action, pending, typed, errors } = useFormAction(addRateAction);
  return (
    <form key={JSON.stringify(typed)} action={action} className="grid gap-4 sm:grid-cols-2">
      <Select
        id="rate-schedulingType"
        name="schedulingType"
        label="Scheduling type"
        defaultValue={typed.schedulingType ?? "Flex"}
        options={["Flex", "OnDemand", "Reserved"].map((t) => ({ value: t, label: t }))}
        error={errors.schedulingType}
      />
      <Input
        id="rate-rateCentsPerCoreHour"
        name="rateCentsPerCoreHour"
        label="Rate (cents per core-hour)"
        inputMode="numeric"
        required
        defaultValue={typed.rateCentsPerCoreHour}
        error={errors.rateCentsPerCoreHour}
      />
      <Input
        id="rate-effectiveFrom"
        name="effectiveFrom"
        label="Effective from"
        type="date"
        hint="00:00, Paris time; after today."
        required
        defaultValue={typed.effectiveFrom}
        error={errors.effectiveFrom}
      />
      <Input id="rate-label" name="label" label="Label" required defaultValue={typed.label} error={errors.label} />
      <FormFooter className="sm:col-span-2" label="Add rate version" pendingLabel="Adding…" pending={pending} error={state.fieldErrors ? null : state.error} />
      <FormDone state={state} />
    </form>
  );
}

/** An organization's monthly budget and what overrunning it does. */
export function BudgetForm({ organizations }: { organizations: Organization[] }) {
  const { state, action, pending, typed, errors } = useFormAction(setBudgetAction);
  const id = useId();
  return (
    <form key={JSON.stringify(typed)} action={action} className="grid gap-4 sm:grid-cols-2">
      <CustomerSelect id={id} organizations={organizations} value={typed.organizationId} error={errors.organizationId} />
      <Select
        id={`${id}-policy`}
        name="policy"
        label="When a task would overrun it"
        defaultValue={typed.policy ?? "block"}
        options={[
          { value: "block", label: "Refuse the task" },
          { value: "alert", label: "Accept it, with a warning" },
          { value: "none", label: "No budget" },
        ]}
        error={errors.policy}
      />
      <Input id={`${id}-budgetEuros`} name="budgetEuros" label="Monthly budget (€)" inputMode="decimal" defaultValue={typed.budgetEuros} hint="E.g. 500.00." error={errors.budgetEuros} />
      <FormFooter className="sm:col-span-2" label="Save budget" pendingLabel="Saving…" pending={pending} error={state.fieldErrors ? null : state.error} />
      <FormDone state={state} />
    </form>
  );
}

/** Prepaid credits for an organization. */
export function GrantCreditsForm({ organizations }: { organizations: Organization[] }) {
  const { state, action, pending, typed, errors } = useFormAction(grantCreditsAction);
  const id = useId();
  return (
    <form key={JSON.stringify(typed)} action={action} className="grid gap-4 sm:grid-cols-2">
      <CustomerSelect id={id} organizations={organizations} value={typed.organizationId} error={errors.organizationId} />
      <Input id={`${id}-amountEuros`} name="amountEuros" label="Amount (€)" inputMode="decimal" required defaultValue={typed.amountEuros} error={errors.amountEuros} />
      <Input id={`${id}-note`} name="note" label="Why" hint="An order number, a gift…" required className="sm:col-span-2" defaultValue={typed.note} error={errors.note} />
      <FormFooter className="sm:col-span-2" label="Grant credits" pendingLabel="Granting…" pending={pending} error={state.fieldErrors ? null : state.error} />
      <FormDone state={state} />
    </form>
  );
}

"use client";

import { useActionState, useState } from "react";
import { markPaidAction } from "@/server/actions/refunds";
import type { FormState } from "@/server/actions/form-state";
import { formatKWhFromWh } from "@/components/format";
import { formatEuros } from "@/server/domain/refund-statements";
import { Badge } from "@/components/ui/badge";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export type StaffStatementRow = {
  id: string;
  dwellingLabel: string;
  buildingName: string;
  holderName: string;
  ibanMasked: string;
  energyWh: number;
  amountCents: number;
  paidOn: string | null;
  reference: string | null;
};

/** The month's statements, the unpaid ones to tick and mark paid with one bank transfer's reference and date. */
export function MarkPaidForm({ month, statements, today }: { month: string; statements: StaffStatementRow[]; today: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(markPaidAction, { error: null });
  const unpaid = statements.filter((s) => s.paidOn === null).map((s) => s.id);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  // Statements paid since they were ticked drop out of the choice.
  const chosenUnpaid = unpaid.filter((id) => chosen.has(id));
  const allChosen = unpaid.length > 0 && chosenUnpaid.length === unpaid.length;
  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const typed = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="flex flex-col gap-4">
      <input type="hidden" name="month" value={month} />
      <Table caption="Statements of the month" scrollable>
        <THead>
          <tr>
            <Th>
              <input
                type="checkbox"
                aria-label="Choose every unpaid statement"
                checked={allChosen}
                disabled={unpaid.length === 0}
                onChange={() => setChosen(allChosen ? new Set() : new Set(unpaid))}
              />
            </Th>
            <Th>Dwelling</Th>
            <Th>Contract holder</Th>
            <Th>IBAN</Th>
            <Th numeric>Energy</Th>
            <Th numeric>Amount</Th>
            <Th>Payment</Th>
          </tr>
        </THead>
        <TBody>
          {statements.map((s) => (
            <Tr key={s.id}>
              <Td>
                {s.paidOn === null && (
                  <input
                    type="checkbox"
                    name="statementId"
                    value={s.id}
                    aria-label={`Choose the statement of flat ${s.dwellingLabel}, ${s.buildingName}`}
                    checked={chosen.has(s.id)}
                    onChange={() => toggle(s.id)}
                  />
                )}
              </Td>
              <Td>
                {s.buildingName} · flat {s.dwellingLabel}
              </Td>
              <Td>{s.holderName}</Td>
              <Td className="font-mono whitespace-nowrap">{s.ibanMasked}</Td>
              <Td numeric>{formatKWhFromWh(s.energyWh)}</Td>
              <Td numeric>{formatEuros(s.amountCents, "en-GB")}</Td>
              <Td>
                {s.paidOn ? (
                  <span>
                    <Badge tone="success">paid</Badge> {s.paidOn} · {s.reference}
                  </span>
                ) : (
                  <Badge>unpaid</Badge>
                )}
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {unpaid.length > 0 && (
        <div className="grid gap-4 sm:grid-cols-3 sm:items-end">
          <Input id="reference" name="reference" label="Payment reference" required defaultValue={typed.reference} error={errors.reference} />
          <Input id="paidOn" name="paidOn" label="Paid on" type="date" required defaultValue={typed.paidOn ?? today} error={errors.paidOn} />
          <FormFooter label={`Mark ${chosenUnpaid.length} paid`} pendingLabel="Recording…" pending={pending} error={state.error} />
        </div>
      )}
      {state.message && (
        <p role="status" className="text-sm text-green-800">
          {state.message}
        </p>
      )}
    </form>
  );
}

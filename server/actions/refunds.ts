"use server";

import { revalidatePath } from "next/cache";
import { serverApi } from "@/server/api/request-context";
import { formRefusal, submittedValues, type FormState } from "./form-state";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

/** The price is typed in euros per kWh, as tariffs are published; it is kept in micro-euros. */
function microEurosPerKWh(typed: string): number {
  const euros = Number(typed.trim().replace(",", "."));
  return typed.trim() === "" || !Number.isFinite(euros) ? Number.NaN : Math.round(euros * 1_000_000);
}

export async function addTariffAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("staff", "/admin/tariffs");
  try {
    await api.refunds.addTariff({
      country: text(form, "country").trim().toUpperCase(),
      option: text(form, "option").trim(),
      label: text(form, "label").trim(),
      effectiveFrom: text(form, "effectiveFrom"),
      priceMicroEurosPerKWh: microEurosPerKWh(text(form, "priceEurosPerKWh")),
      source: text(form, "source").trim(),
    });
  } catch (error) {
    return { ...formRefusal(error, { priceMicroEurosPerKWh: "priceEurosPerKWh" }), values: submittedValues(form) };
  }
  revalidatePath("/admin/tariffs");
  return { error: null, message: "Tariff version added." };
}

export async function runCloseAction(_: FormState, form: FormData): Promise<FormState> {
  const month = text(form, "month");
  const api = await serverApi("staff", `/admin/refunds/${month.slice(0, 7)}`);
  try {
    const run = await api.refunds.runClose({ month });
    revalidatePath(`/admin/refunds/${month.slice(0, 7)}`);
    revalidatePath("/admin/refunds");
    return {
      error: null,
      message: `Close run ${run.closeId}: ${run.statementsWritten} statement${run.statementsWritten === 1 ? "" : "s"} written, ${run.statementsAlreadyClosed} already closed.`,
    };
  } catch (error) {
    return formRefusal(error);
  }
}

export async function markPaidAction(_: FormState, form: FormData): Promise<FormState> {
  const month = text(form, "month");
  const statementIds = form.getAll("statementId").map(String);
  if (statementIds.length === 0) return { error: "Choose at least one statement to mark paid.", values: submittedValues(form) };
  const api = await serverApi("staff", `/admin/refunds/${month.slice(0, 7)}`);
  try {
    const result = await api.refunds.markPaid({ statementIds, reference: text(form, "reference").trim(), paidOn: text(form, "paidOn") });
    revalidatePath(`/admin/refunds/${month.slice(0, 7)}`);
    revalidatePath("/admin/refunds");
    const already = result.alreadyPaid > 0 ? `, ${result.alreadyPaid} were already paid` : "";
    return { error: null, message: `${result.paid} statement${result.paid === 1 ? "" : "s"} marked paid${already}.` };
  } catch (error) {
    return { ...formRefusal(error), values: submittedValues(form) };
  }
}

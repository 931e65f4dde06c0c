"use server";

import { revalidatePath } from "next/cache";
import { serverApi } from "@/server/api/request-context";
import { billingDayStart, parseEurosToCents } from "@/server/domain/billing";
import { formRefusal, submittedValues, type FormState } from "./form-state";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");
const PAGE = "/admin/billing";

/** A new rate card version, from a day (00:00 in the operator's zone) after today. */
export async function addRateAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("staff", PAGE);
  const day = text(form, "effectiveFrom");
  const effectiveFrom = billingDayStart(day);
  if (!effectiveFrom) return { error: "Check the highlighted fields.", fieldErrors: { effectiveFrom: "Give the first day of the new rate." }, values: submittedValues(form) };
  try {
    await api.billing.addRate({
      schedulingType: text(form, "schedulingType") as "Flex",
      rateCentsPerCoreHour: Number(text(form, "rateCentsPerCoreHour").trim() || Number.NaN),
      effectiveFrom,
      label: text(form, "label"),
    });
  } catch (error) {
    return { ...formRefusal(error), values: submittedValues(form) };
  }
  revalidatePath(PAGE);
  return { error: null, message: "Rate version added." };
}

/** An organization's monthly budget (euros) and policy, or none. */
export async function setBudgetAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("staff", PAGE);
  const policy = text(form, "policy");
  try {
    await api.billing.setBudget({
      organizationId: text(form, "organizationId"),
      budget: policy === "none" ? null : { monthlyBudgetCents: parseEurosToCents(text(form, "budgetEuros")), policy: policy as "block" },
    });
  } catch (error) {
    return { ...formRefusal(error, { "budget.monthlyBudgetCents": "budgetEuros", "budget.policy": "policy" }), values: submittedValues(form) };
  }
  revalidatePath(PAGE);
  return { error: null, message: policy === "none" ? "Budget removed." : "Budget saved." };
}

/** Prepaid credits for an organization (euros), with why. */
export async function grantCreditsAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("staff", PAGE);
  try {
    await api.billing.grantCredits({
      organizationId: text(form, "organizationId"),
      amountCents: parseEurosToCents(text(form, "amountEuros")),
      note: text(form, "note"),
    });
  } catch (error) {
    return { ...formRefusal(error, { amountCents: "amountEuros" }), values: submittedValues(form) };
  }
  revalidatePath(PAGE);
  return { error: null, message: "Credits granted." };
}

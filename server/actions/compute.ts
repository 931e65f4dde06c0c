"use server";

import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { serverApi } from "@/server/api/request-context";
import { SUBMIT_TASK_INPUT } from "@/server/api/routers/compute";
import { fieldErrorsOf } from "@/server/api/trpc";
import { parseInstanceRanges } from "@/server/domain/instance-ranges";
import { INSTANCE_RANGE_LIMITS } from "@/server/domain/task-limits";
import { SCHEDULING_TYPES } from "@/server/domain/task-state";
import { formRefusal, type FormState } from "./form-state";

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/** An optional whole number from a form field: undefined when empty, NaN when not a number. */
function optionalNumber(form: FormData, name: string): number | undefined {
  const raw = text(form, name);
  if (raw === "") return undefined;
  return Number(raw);
}

// ---------------------------------------------------------------------------------------------
// Tasks and jobs

export async function submitTaskAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("customer", "/compute/tasks/new");
  const fieldErrors: Record<string, string> = {};

  const constants: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("constant:") && typeof value === "string" && value.trim() !== "") {
      constants[key.slice("constant:".length)] = value.trim();
    }
  }
  text(form, "extraConstants")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .forEach((line) => {
      const eq = line.indexOf("=");
      const key = eq > 0 ? line.slice(0, eq).trim() : "";
      if (!/^[A-Za-z_][\w.-]*$/.test(key)) {
        fieldErrors.extraConstants = `"${line}" is not NAME=value (a name starts with a letter or _).`;
        return;
      }
      constants[key] = line.slice(eq + 1).trim();
    });

  const numbers = {
    instanceCount: optionalNumber(form, "instanceCount"),
    minCores: optionalNumber(form, "minCores"),
    minRamGb: optionalNumber(form, "minRamGb"),
    maxWallTimeMin: optionalNumber(form, "maxWallTimeMin"),
    maxRetriesPerInstance: optionalNumber(form, "maxRetriesPerInstance"),
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (value !== undefined && !Number.isFinite(value)) fieldErrors[name === "maxWallTimeMin" ? "maxWallTimeS" : name] = "Enter a number.";
  }

  const byRanges = text(form, "instanceMode") !== "count";
  const schedulingType = text(form, "schedulingType");
  const input = {
    profile: text(form, "profile"),
    name: text(form, "name"),
    shortname: text(form, "shortname") || undefined,
    ...(byRanges ? { instanceRanges: text(form, "instanceRanges") } : { instanceCount: numbers.instanceCount ?? 0 }),
    constants,
    tags: text(form, "tags")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    schedulingType: SCHEDULING_TYPES.find((type) => type === schedulingType) ?? "Flex",
    minCores: numbers.minCores,
    minRamGb: numbers.minRamGb,
    maxWallTimeS: numbers.maxWallTimeMin === undefined ? undefined : Math.round(numbers.maxWallTimeMin * 60),
    maxRetriesPerInstance: numbers.maxRetriesPerInstance,
    jobId: text(form, "jobId") || undefined,
    dependsOnTaskIds: form.getAll("dependsOn").map(String).filter(Boolean),
  };
  if (Object.keys(fieldErrors).length > 0) {
    // Refused here already: the rest of the input is checked too, so that every problem shows at once.
    const checked = SUBMIT_TASK_INPUT.safeParse(input);
    const others = checked.success ? {} : fieldErrorsOf(checked.error);
    return { error: "Check the highlighted fields.", fieldErrors: { ...others, ...fieldErrors } };
  }
  let taskId: string;
  try {
    const created = await api.compute.submitTask(input);
    taskId = created.id;
  } catch (error) {
    return formRefusal(error);
  }
  redirect(`/compute/tasks/${taskId}`);
}

export async function createJobAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("customer", "/compute/tasks/new");
  try {
    const job = await api.compute.createJob({ name: text(form, "jobName"), useDependencies: form.get("useDependencies") === "on" });
    refresh();
    return { error: null, message: `Job "${job.name}" created: choose it below.` };
  } catch (error) {
    return formRefusal(error);
  }
}

export async function cancelTaskAction(_: FormState, form: FormData): Promise<FormState> {
  const taskId = text(form, "taskId");
  const api = await serverApi("customer", `/compute/tasks/${taskId}`);
  let cancelled: boolean;
  try {
    ({ cancelled } = await api.compute.cancelTask({ taskId }));
  } catch (error) {
    return formRefusal(error);
  }
  refresh();
  if (!cancelled) return { error: "This task has already ended or is being cancelled." };
  return { error: null, message: "Cancelled: running instances stop at their radiator's next report." };
}

export async function cancelInstancesAction(_: FormState, form: FormData): Promise<FormState> {
  const taskId = text(form, "taskId");
  const api = await serverApi("customer", `/compute/tasks/${taskId}`);
  const parsed = parseInstanceRanges(text(form, "instanceNumbers"), INSTANCE_RANGE_LIMITS);
  if (!parsed.ok) return { error: "Check the instances to cancel.", fieldErrors: { instanceNumbers: parsed.error } };
  let cancelled: number;
  try {
    cancelled = await api.compute.cancelInstances({ taskId, instanceNumbers: parsed.numbers });
  } catch (error) {
    return formRefusal(error);
  }
  refresh();
  return {
    error: null,
    message:
      cancelled === 0
        ? "None of these instances could be cancelled: they had already ended."
        : `${cancelled} ${cancelled === 1 ? "instance" : "instances"} cancelled (running ones stop at their radiator's next report).`,
  };
}

export async function rerunFailedAction(_: FormState, form: FormData): Promise<FormState> {
  const taskId = text(form, "taskId");
  const api = await serverApi("customer", `/compute/tasks/${taskId}`);
  let queued: number;
  try {
    queued = await api.compute.rerunFailed({ taskId });
  } catch (error) {
    return formRefusal(error);
  }
  refresh();
  return {
    error: null,
    message: queued === 0 ? "No failed instance to run again." : `${queued} failed ${queued === 1 ? "instance" : "instances"} queued again.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Notifications

export async function markNotificationsReadAction(form: FormData) {
  const api = await serverApi("customer", "/compute/notifications");
  const ids = form
    .getAll("id")
    .map((v) => Number(v))
    .filter((n) => Number.isSafeInteger(n) && n > 0);
  await api.compute.markNotificationsRead(ids.length > 0 ? { ids } : {});
  refresh();
}

// ---------------------------------------------------------------------------------------------
// API keys

export async function createApiKeyAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("customer", "/compute/account");
  try {
    const { key } = await api.compute.createApiKey({ name: text(form, "keyName") });
    refresh();
    return { error: null, secret: key };
  } catch (error) {
    // The router's field is "name"; the form's is "keyName".
    return formRefusal(error, { name: "keyName" });
  }
}

export async function revokeApiKeyAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("customer", "/compute/account");
  try {
    await api.compute.revokeApiKey({ id: text(form, "id") });
  } catch (error) {
    return formRefusal(error);
  }
  refresh();
  return { error: null, message: "Key revoked: programs using it are refused from now on." };
}

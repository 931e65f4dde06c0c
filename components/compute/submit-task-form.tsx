"use client";

import { startTransition, useActionState, useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { createJobAction, submitTaskAction } from "@/server/actions/compute";
import type { FormState } from "@/server/actions/form-state";
import { formatInteger, formatOneDecimal } from "@/components/format";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { ErrorSummary } from "@/components/ui/error-summary";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { estimateTaskCents, formatEuros, judgeBudget } from "@/server/domain/billing";
import { parseInstanceRanges } from "@/server/domain/instance-ranges";
import { INSTANCE_RANGE_LIMITS, TASK_LIMITS } from "@/server/domain/task-limits";
import type { TaskFormDefaults } from "@/server/domain/task-clone";
import type { SchedulingType } from "@/server/domain/task-state";
import type { ConstantSpec } from "@/server/profiles/constants";
import { formatDuration } from "@/components/format";
import type { ProfileView } from "./types";

/** A profile's constants as the form asks for them: the profile's own table, or text fields. */
export type ConstantField = (ConstantSpec | { kind: "text"; description: string; default: string; placeholder?: string }) & {
  name: string;
  label: string;
  /** Shown only when another constant has this value, e.g. averaging steps for Asian options. */
  onlyWhen?: { name: string; value: string };
};

type Option = { id: string; label: string };

/** What the estimate's price needs: today's rates and the month's budget (server/services/billing.ts billingOverview). */
export type BillingView = {
  rates: Partial<Record<SchedulingType, number>>;
  budget: { monthlyBudgetCents: number; policy: "alert" | "block" } | null;
  monthChargedCents: number;
};

export function SubmitTaskForm({
  profiles,
  constantFields,
  jobs,
  recentTasks,
  defaults,
  billing,
}: {
  profiles: ProfileView[];
  constantFields: Record<string, ConstantField[]>;
  jobs: Option[];
  recentTasks: Option[];
  /** A cloned task's settings, to edit before submitting again. */
  defaults?: TaskFormDefaults;
  billing: BillingView;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(submitTaskAction, { error: null });
  const [profileName, setProfileName] = useState(defaults?.profile ?? profiles[0]?.name ?? "");
  const profile = profiles.find((p) => p.name === profileName);
  const isRender = profileName === "render";
  const [mode, setMode] = useState<"count" | "ranges">(defaults?.instanceMode ?? "count");
  const [count, setCount] = useState(defaults?.instanceCount ?? "10");
  const [ranges, setRanges] = useState(defaults?.instanceRanges ?? "1-120");
  const [choices, setChoices] = useState<Record<string, string>>(defaults?.constants ?? {});
  const [scheduling, setScheduling] = useState<SchedulingType>(defaults?.schedulingType ?? "Flex");
  // The cloned constants belong to the cloned profile only.
  const constantDefaults = defaults && defaults.profile === profileName ? defaults.constants : {};

  const fieldErrors = useMemo(() => spreadConstantErrors(state.fieldErrors ?? {}), [state.fieldErrors]);
  const shown = new Set<string>();
  const err = (...keys: string[]) => {
    for (const k of keys) {
      if (fieldErrors[k]) {
        keys.forEach((key) => shown.add(key));
        return fieldErrors[k];
      }
    }
    return undefined;
  };

  const instances = useMemo(() => {
    if (mode === "count") {
      const n = Number(count);
      return Number.isSafeInteger(n) && n > 0 ? n : null;
    }
    const parsed = parseInstanceRanges(ranges, INSTANCE_RANGE_LIMITS);
    return parsed.ok ? parsed.numbers.length : null;
  }, [mode, count, ranges]);

  function chooseProfile(name: string) {
    setProfileName(name);
    setChoices({});
    setMode(name === "render" ? "ranges" : "count");
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    // Submitted by hand so that React does not reset the form: a refused task keeps what was typed.
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  }

  const fields = constantFields[profileName] ?? [];
  const visibleConstantNames = fields
    .filter((f) => !f.onlyWhen || (choices[f.onlyWhen.name] ?? defaultOf(fields, f.onlyWhen.name)) === f.onlyWhen.value)
    .map((f) => f.name);
  const summary = summaryOf(fieldErrors, { profileName, mode, constantNames: visibleConstantNames });
  const summaryPointsAt = (fieldId: string) => summary.some((e) => e.fieldId === fieldId);
  const instancesError = mode === "ranges" ? err("instanceRanges") : err("instanceCount");

  // Rendered last so that `err` has seen every field: anything the server named that no field shows.
  const content = (
    <>
      <Card>
        <CardHeader title="What to run" />
        <CardContent className="flex flex-col gap-4">
          <fieldset className="min-w-0">
            <legend className="mb-2 text-sm font-medium text-stone-800">Profile</legend>
            <div className="grid gap-2 sm:grid-cols-3">
              {profiles.map((p) => (
                <div
                  key={p.name}
                  className={cn(
                    "relative flex gap-2 rounded-md border p-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600",
                    p.name === profileName ? "border-brand-700 bg-brand-50" : "border-stone-300 bg-white",
                  )}
                >
                  <input
                    type="radio"
                    id={`profile-${p.name}`}
                    name="profile"
                    value={p.name}
                    checked={p.name === profileName}
                    onChange={() => chooseProfile(p.name)}
                    aria-describedby={`profile-${p.name}-description`}
                    className="relative z-10 mt-1 accent-brand-700"
                  />
                  <span>
                    {/* The label covers the whole card, so that a click anywhere on it chooses the profile. */}
                    <label htmlFor={`profile-${p.name}`} className="block cursor-pointer font-medium after:absolute after:inset-0">
                      {p.name}
                    </label>
                    <span id={`profile-${p.name}-description`} className="block text-stone-600">
                      {p.description}
                    </span>
                  </span>
                </div>
              ))}
            </div>
            {err("profile") && <p className="mt-1 text-sm text-red-700">{err("profile")}</p>}
          </fieldset>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Input id="name" name="name" label="Task name" required autoComplete="off" defaultValue={defaults?.name} error={err("name")} />
            <Input
              id="shortname"
              name="shortname"
              label="Short name (optional)"
              hint="Unique in your account; the API can find the task by it."
              autoComplete="off"
              error={err("shortname")}
            />
          </div>
          <fieldset className="flex min-w-0 flex-col gap-2">
            <legend className="mb-1 text-sm font-medium text-stone-800">{isRender ? "Frames (one instance per frame)" : "Instances"}</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="instanceMode" value="count" checked={mode === "count"} onChange={() => setMode("count")} className="accent-brand-700" />
                A number of instances
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="instanceMode" value="ranges" checked={mode === "ranges"} onChange={() => setMode("ranges")} className="accent-brand-700" />
                {isRender ? "Frame numbers" : "Instance numbers"}
              </label>
            </div>
            {mode === "count" ? (
              <Input
                id="instanceCount"
                name="instanceCount"
                type="number"
                min={1}
                inputMode="numeric"
                label="How many instances"
                hint="Numbered from 0."
                value={count}
                onChange={(e) => setCount(e.target.value)}
                error={instancesError}
                className="max-w-xs"
              />
            ) : (
              <Input
                id="instanceRanges"
                name="instanceRanges"
                label={isRender ? "Frames" : "Instance numbers"}
                hint='Numbers and ranges, e.g. "1-120" or "1-100,200".'
                value={ranges}
                onChange={(e) => setRanges(e.target.value)}
                autoComplete="off"
                error={instancesError}
                className="max-w-xs"
              />
            )}
          </fieldset>
        </CardContent>
      </Card>

      {fields.length > 0 && (
        <Card>
          <CardHeader title="Parameters" description={
              fields.some((f) => f.default !== "")
                ? `The constants of the ${profileName} profile; empty fields take the default shown.`
                : `The constants of the ${profileName} profile.`
            } />
          <CardContent className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            {err("constants") && <p className="text-sm text-red-700 sm:col-span-2">{err("constants")}</p>}
            {fields
              .filter((f) => visibleConstantNames.includes(f.name))
              .map((f) => (
                <ConstantInput
                  key={`${profileName}-${f.name}`}
                  field={f}
                  value={constantDefaults[f.name]}
                  error={err(`constants.${f.name}`, f.name)}
                  onChoose={(value) => setChoices((c) => ({ ...c, [f.name]: value }))}
                />
              ))}
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader title="How to run it" />
        <CardContent className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <Select
              id="schedulingType"
              name="schedulingType"
              label="Scheduling"
              value={scheduling}
              onChange={(e) => setScheduling(e.target.value as SchedulingType)}
              options={[
                { value: "Flex", label: "Flex" },
                { value: "OnDemand", label: "OnDemand" },
                { value: "Reserved", label: "Reserved" },
              ]}
              aria-describedby={err("schedulingType") ? "schedulingType-error schedulingType-hint" : "schedulingType-hint"}
              error={err("schedulingType")}
            />
            <p id="schedulingType-hint" className="text-sm text-stone-600">
              Flex runs when rooms want heat, at the lowest price; OnDemand is served before Flex; Reserved uses your reserved capacity first.
            </p>
          </div>
          <Input id="tags" name="tags" label="Tags (optional)" hint="Separated by commas, e.g. shot-12, final." autoComplete="off" defaultValue={defaults?.tags} error={err("tags")} />
          <Input
            id="minCores"
            name="minCores"
            type="number"
            min={1}
            inputMode="numeric"
            label="Minimum cores of a node"
            defaultValue={defaults?.minCores}
            hint={profile ? `At least the ${profile.coresPerInstance} the profile uses.` : undefined}
            error={err("minCores")}
          />
          <Input
            id="minRamGb"
            name="minRamGb"
            type="number"
            min={1}
            inputMode="numeric"
            label="Minimum memory of a node (GB)"
            defaultValue={defaults?.minRamGb}
            hint={profile ? `At least the ${profile.minRamGb} GB the profile needs.` : undefined}
            error={err("minRamGb")}
          />
          <Input
            id="maxWallTimeMin"
            name="maxWallTimeMin"
            type="number"
            min={1}
            step="any"
            inputMode="decimal"
            label="Maximum wall time per instance (minutes)"
            defaultValue={defaults?.maxWallTimeMin}
            hint="An instance running longer is stopped and counts as failed. Empty: no limit."
            error={err("maxWallTimeS", "maxWallTimeMin")}
          />
          <Input
            id="maxRetriesPerInstance"
            name="maxRetriesPerInstance"
            type="number"
            min={0}
            max={TASK_LIMITS.maxRetriesPerInstance}
            inputMode="numeric"
            label="Retries per failed instance"
            defaultValue={defaults?.maxRetriesPerInstance ?? "2"}
            error={err("maxRetriesPerInstance")}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader title="Job and dependencies (optional)" />
        <CardContent className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Select
            id="jobId"
            name="jobId"
            label="Job"
            defaultValue={defaults?.jobId ?? ""}
            options={[{ value: "", label: "No job" }, ...jobs.map((j) => ({ value: j.id, label: j.label }))]}
            error={err("jobId")}
          />
          <div className="flex flex-col gap-1">
            <label htmlFor="dependsOn" className="text-sm font-medium text-stone-800">
              Runs after these tasks succeed
            </label>
            <select
              id="dependsOn"
              name="dependsOn"
              multiple
              defaultValue={defaults?.dependsOn}
              size={Math.min(5, Math.max(2, recentTasks.length))}
              aria-describedby="dependsOn-hint"
              aria-invalid={err("dependsOnTaskIds", "dependsOn") ? true : undefined}
              className={cn("rounded-md border bg-white p-1 text-sm", err("dependsOnTaskIds", "dependsOn") ? "border-red-700" : "border-stone-300")}
            >
              {recentTasks.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
            <p id="dependsOn-hint" className="text-sm text-stone-600">
              Your 50 latest tasks; hold Ctrl (⌘ on a Mac) to choose several. None: it starts when capacity allows.
            </p>
            {err("dependsOnTaskIds", "dependsOn") && <p className="text-sm text-red-700">{err("dependsOnTaskIds", "dependsOn")}</p>}
          </div>
        </CardContent>
      </Card>

      <details
        className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm"
        open={Boolean(fieldErrors.extraConstants || defaults?.extraConstants) || summaryPointsAt("extraConstants")}
      >
        <summary className="cursor-pointer text-sm font-medium">Other constants (advanced)</summary>
        <div className="mt-3 flex flex-col gap-1">
          <label htmlFor="extraConstants" className="text-sm font-medium text-stone-800">
            One NAME=value per line
          </label>
          <textarea
            id="extraConstants"
            name="extraConstants"
            rows={3}
            defaultValue={defaults?.extraConstants}
            aria-invalid={err("extraConstants") ? true : undefined}
            aria-describedby={err("extraConstants") ? "extraConstants-error" : undefined}
            className={cn("rounded-md border px-3 py-2 font-mono text-sm", err("extraConstants") ? "border-red-700" : "border-stone-300")}
          />
          {err("extraConstants") && (
            <p id="extraConstants-error" className="text-sm text-red-700">
              {err("extraConstants")}
            </p>
          )}
        </div>
      </details>
    </>
  );
  const unshown = Object.entries(fieldErrors).filter(([k]) => !shown.has(k));
  const error = state.error && unshown.length > 0 ? `${state.error} ${unshown.map(([k, v]) => `${k}: ${v}`).join(" ")}` : state.error;
  // A refusal of the whole task (a budget it would overrun, a quota) leads the summary, where focus goes.
  const refusalOnly = state.error !== null && summary.length === 0 && unshown.length === 0;
  const summaryShown = refusalOnly ? [{ fieldId: "", message: state.error! }] : summary;

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
      <form onSubmit={onSubmit} action={action} noValidate className="flex flex-col gap-6 lg:col-span-2" aria-label="Submit a task">
        <ErrorSummary errors={summaryShown} refusal={state} />
        {content}
        <FormFooter label="Submit task" pendingLabel="Submitting…" pending={pending} error={refusalOnly ? null : error} />
      </form>
      <aside aria-label="Estimate and jobs" className="flex flex-col gap-6">
        <Estimate profile={profile} instances={instances} scheduling={scheduling} billing={billing} />
        <CreateJob />
      </aside>
    </div>
  );
}

/**
 * The services refuse constants in one message under "constants", one sentence per constant
 * (`Constant "spot" must be greater than 0 (got "-5").`): each sentence goes to its own field.
 */
function spreadConstantErrors(errors: Record<string, string>): Record<string, string> {
  const all = errors.constants;
  if (!all) return errors;
  const out: Record<string, string> = { ...errors };
  delete out.constants;
  const rest: string[] = [];
  for (const sentence of all.split(/(?<=\.)\s+(?=Constant ")/)) {
    const m = /^Constant "([^"]+)" (.*)$/s.exec(sentence.trim());
    if (m && !out[`constants.${m[1]}`]) out[`constants.${m[1]}`] = `This ${m[2]}`;
    else rest.push(sentence);
  }
  if (rest.length > 0) out.constants = rest.join(" ");
  return out;
}

/** The fields of the form in page order, by id: the error summary lists problems in this order. */
const FIELD_ORDER = [
  "profile",
  "name",
  "shortname",
  "instanceCount",
  "instanceRanges",
  "constants",
  "schedulingType",
  "tags",
  "minCores",
  "minRamGb",
  "maxWallTimeMin",
  "maxRetriesPerInstance",
  "jobId",
  "dependsOn",
  "extraConstants",
];

/** Each refused field's message with the id of the field that shows it, in page order, for the error summary. */
export function summaryOf(
  errors: Record<string, string>,
  form: { profileName: string; mode: "count" | "ranges"; constantNames: string[] },
): Array<{ fieldId: string; message: string }> {
  const placed = Object.entries(errors).map(([key, message]) => {
    const [head, rest] = [key.split(".")[0]!, key.split(".").slice(1).join(".")];
    let fieldId: string;
    let order = FIELD_ORDER.indexOf(head);
    if (head === "constants") {
      const name = rest || form.constantNames[0];
      fieldId = name && form.constantNames.includes(name) ? `constant-${name}` : "extraConstants";
      order = fieldId === "extraConstants" ? FIELD_ORDER.indexOf("extraConstants") : order + form.constantNames.indexOf(name!) / 1000;
    } else if (head === "instanceCount" || head === "instanceRanges") fieldId = form.mode === "ranges" ? "instanceRanges" : "instanceCount";
    else if (head === "maxWallTimeS" || head === "maxWallTimeMin") [fieldId, order] = ["maxWallTimeMin", FIELD_ORDER.indexOf("maxWallTimeMin")];
    else if (head === "dependsOnTaskIds" || head === "dependsOn") [fieldId, order] = ["dependsOn", FIELD_ORDER.indexOf("dependsOn")];
    else if (head === "profile") fieldId = `profile-${form.profileName}`;
    else fieldId = order >= 0 ? head : "";
    return { fieldId, message, order: order >= 0 ? order : FIELD_ORDER.length };
  });
  return placed.sort((a, b) => a.order - b.order).map(({ fieldId, message }) => ({ fieldId, message }));
}

function defaultOf(fields: ConstantField[], name: string) {
  return fields.find((f) => f.name === name)?.default ?? "";
}

function ConstantInput({ field, value, error, onChoose }: { field: ConstantField; value?: string; error?: string; onChoose: (value: string) => void }) {
  const id = `constant-${field.name}`;
  const name = `constant:${field.name}`;
  if (field.kind === "enum") {
    return (
      <Select
        id={id}
        name={name}
        label={field.label}
        defaultValue={value ?? field.default}
        options={field.values.map((v) => ({ value: v, label: v[0]!.toUpperCase() + v.slice(1) }))}
        onChange={(e) => onChoose(e.target.value)}
        error={error}
      />
    );
  }
  if (field.kind === "number") {
    return (
      <Input
        id={id}
        name={name}
        type="number"
        step={field.integer ? 1 : "any"}
        min={field.min}
        max={field.max}
        inputMode={field.integer ? "numeric" : "decimal"}
        label={field.label}
        placeholder={field.default}
        defaultValue={value}
        hint={`${field.description}. Default ${field.default}.`}
        error={error}
      />
    );
  }
  return <Input id={id} name={name} label={field.label} placeholder={field.placeholder} defaultValue={value} hint={field.description} autoComplete="off" error={error} />;
}

/** What the task should take, from the profile's expected core-seconds per instance. */
function Estimate({
  profile,
  instances,
  scheduling,
  billing,
}: {
  profile: ProfileView | undefined;
  instances: number | null;
  scheduling: SchedulingType;
  billing: BillingView;
}) {
  let body: ReactNode = <p className="text-sm text-stone-600">Give the number of instances to see an estimate.</p>;
  let budgetNote: ReactNode = null;
  if (profile && instances !== null) {
    const coreSeconds = instances * profile.expectedCoreSecondsPerInstance;
    const perInstanceS = profile.expectedCoreSecondsPerInstance / Math.max(1, profile.coresPerInstance);
    const rate = billing.rates[scheduling];
    const costCents =
      rate === undefined ? null : estimateTaskCents({ expectedCoreSecondsPerInstance: profile.expectedCoreSecondsPerInstance, instanceCount: instances, rateCentsPerCoreHour: rate });
    const judgement = costCents === null ? null : judgeBudget({ budget: billing.budget, monthChargedCents: billing.monthChargedCents, estimateCents: costCents });
    if (judgement?.kind === "over") {
      budgetNote = (
        <p className={cn("text-sm", judgement.policy === "block" ? "font-medium text-red-700" : "text-amber-900")}>
          {judgement.message} {judgement.policy === "block" ? "It would be refused." : "It would still be accepted."}
        </p>
      );
    } else if (billing.budget) {
      budgetNote = (
        <p className="text-sm text-stone-600">
          Within your monthly budget of {formatEuros(billing.budget.monthlyBudgetCents)} ({formatEuros(billing.monthChargedCents)} charged this month).
        </p>
      );
    }
    body = (
      <dl className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
        <dt className="text-stone-600">Instances</dt>
        <dd className="tabular-nums">{formatInteger(instances)}</dd>
        <dt className="text-stone-600">CPU time in all</dt>
        <dd className="tabular-nums">{formatOneDecimal(coreSeconds / 3600)} core-hours</dd>
        <dt className="text-stone-600">One instance</dt>
        <dd className="tabular-nums">
          about {formatDuration(perInstanceS)} on {profile.coresPerInstance} {profile.coresPerInstance === 1 ? "core" : "cores"}
        </dd>
        <dt className="text-stone-600">Cost</dt>
        <dd className="tabular-nums" data-testid="estimate-cost">
          {costCents === null ? "no rate for this scheduling" : `about ${formatEuros(costCents)}`}
        </dd>
        {rate !== undefined && (
          <>
            <dt className="text-stone-600">{scheduling} rate</dt>
            <dd className="tabular-nums">{formatEuros(rate)} per core-hour, billed by the minute</dd>
          </>
        )}
      </dl>
    );
  }
  return (
    <Card>
      <CardHeader title="Estimate" description="From the profile's expected run time on a reference core." />
      <CardContent className="flex flex-col gap-2">
        <div aria-live="polite" className="flex flex-col gap-2">
          {body}
          {budgetNote}
        </div>
        <p className="text-xs text-stone-600">
          Instances run in parallel on radiators whose rooms want heat; when they start depends on the queue and the heat demand.
          After you submit, the task shows its place in the queue and an ETA.
        </p>
      </CardContent>
    </Card>
  );
}

/** A job groups tasks; created apart from the task form (forms cannot nest). */
function CreateJob() {
  const [state, action, pending] = useActionState<FormState, FormData>(createJobAction, { error: null });
  const id = useId();
  return (
    <Card>
      <CardHeader title="Jobs" description="Group tasks in a job to follow them together or to chain them." />
      <CardContent className="flex flex-col gap-2">
        <Dialog trigger="Create a job" title="Create a job">
          <form action={action} className="flex flex-col gap-4">
            <Input id={`${id}-jobName`} name="jobName" label="Job name" required error={state.fieldErrors?.name} />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="useDependencies" className="size-4 accent-brand-700" />
              Its tasks wait for the tasks they depend on
            </label>
            <FormFooter label="Create job" pendingLabel="Creating…" pending={pending} error={state.error} />
            {state.message && <p className="text-sm text-green-800">{state.message} Close this dialog to go on.</p>}
          </form>
        </Dialog>
        {state.message && (
          <p role="status" className="text-sm text-green-800">
            {state.message}
          </p>
        )}
      </CardContent>
    </Card>
  );
}


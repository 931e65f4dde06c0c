"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { refusedFields } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { ErrorSummary } from "@/components/ui/error-summary";
import { Input } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import type { EnrolmentView } from "@/server/services/enrolment";

const FIELDS = ["holderName", "deliveryPoint", "iban", "bic", "consent"] as const;
type Field = (typeof FIELDS)[number];
const fieldId = (field: Field) => `enrolment-${field}`;

/** "2026-03" as "mars 2026" in the page's language. */
function useMonth() {
  const format = useFormatter();
  return (month: string) => {
    const [year, m] = month.split("-").map(Number);
    return format.dateTime(new Date(Date.UTC(year!, m! - 1, 1)), { month: "long", year: "numeric", timeZone: "UTC" });
  };
}

/**
 * A resident's enrolment for the electricity refund: where it stands, the form to enrol or change
 * the details, and every earlier version. The IBAN field is never filled in: the page only ever
 * has the masked IBAN, and a change asks for the whole one again.
 */
export function EnrolmentForm({ initial }: { initial: EnrolmentView }) {
  const t = useTranslations("enrolment");
  const format = useFormatter();
  const month = useMonth();
  const trpc = useTRPC();
  const [view, setView] = useState(initial);
  const current = view.current;
  const [values, setValues] = useState({
    holderName: current?.holderName ?? "",
    deliveryPoint: current?.deliveryPoint ?? "",
    iban: "",
    bic: current?.bic ?? "",
    consent: false,
  });
  const [errors, setErrors] = useState<Partial<Record<Field | "", string>>>({});
  const [refusal, setRefusal] = useState(0);
  const [saved, setSaved] = useState(false);
  const save = useMutation(trpc.enrolment.save.mutationOptions());
  const date = (at: Date) => format.dateTime(at, { day: "numeric", month: "long", year: "numeric", timeZone: view.timeZone });

  const change = <K extends keyof typeof values>(field: K, value: (typeof values)[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setSaved(false);
  };
  const refuse = (error: unknown) => {
    const named = Object.keys(refusedFields(error) ?? {}).filter((f): f is Field => (FIELDS as readonly string[]).includes(f));
    const conflict = error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "CONFLICT";
    setErrors(
      named.length > 0 ? Object.fromEntries(named.map((f) => [f, t(`errors.${f}`)])) : { "": conflict ? t("errors.unavailable") : t("errors.other") },
    );
    setRefusal((n) => n + 1);
  };

  return (
    <div className="flex flex-col gap-6">
      <Card aria-labelledby="enrolment-status">
        <CardContent className="flex flex-col gap-1">
          <h2 id="enrolment-status" className="text-lg font-semibold text-stone-900">
            {view.sinceMonth ? t("status.enrolled", { month: month(view.sinceMonth) }) : t("status.notEnrolled")}
          </h2>
          <p className="text-sm text-stone-700">
            {view.sinceMonth && current
              ? t("status.enrolledDetail", { month: month(view.sinceMonth), iban: current.ibanMasked })
              : t("status.notEnrolledDetail")}
          </p>
          {current && (
            <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
              <dt className="text-stone-600">{t("current.holderName")}</dt>
              <dd className="font-medium text-stone-900">{current.holderName}</dd>
              <dt className="text-stone-600">{t("current.deliveryPoint")}</dt>
              <dd className="font-medium tabular-nums text-stone-900">{current.deliveryPoint}</dd>
              <dt className="text-stone-600">{t("current.iban")}</dt>
              <dd className="font-medium tabular-nums text-stone-900" data-testid="current-iban">
                {current.ibanMasked}
              </dd>
              <dt className="text-stone-600">{t("current.bic")}</dt>
              <dd className="font-medium text-stone-900">{current.bic ?? t("current.noBic")}</dd>
              <dt className="text-stone-600">{t("current.consentAt")}</dt>
              <dd className="font-medium text-stone-900">{date(current.consentAt)}</dd>
            </dl>
          )}
        </CardContent>
      </Card>

      <form
        noValidate
        aria-labelledby="enrolment-form-title"
        className="flex flex-col gap-4 rounded-lg border border-stone-200 bg-white p-4 shadow-sm"
        onSubmit={(event) => {
          event.preventDefault();
          setErrors({});
          setSaved(false);
          save.mutate(
            { ...values, bic: values.bic.trim() === "" ? null : values.bic },
            {
              onSuccess: (next) => {
                setView(next);
                // The whole IBAN leaves the page once sent; the masked one stands for it.
                setValues((v) => ({ ...v, iban: "", consent: false }));
                setSaved(true);
              },
              onError: refuse,
            },
          );
        }}
      >
        <div>
          <h2 id="enrolment-form-title" className="text-base font-semibold text-stone-900">
            {current ? t("form.titleChange") : t("form.titleEnrol")}
          </h2>
          <p className="text-sm text-stone-600">{t("form.intro")}</p>
        </div>
        <ErrorSummary
          title={t("form.errorTitle")}
          errors={Object.entries(errors).map(([field, message]) => ({ fieldId: field ? fieldId(field as Field) : "", message: message! }))}
          refusal={refusal}
        />
        <Input
          id={fieldId("holderName")}
          label={t("form.holderName")}
          hint={t("form.holderNameHint")}
          autoComplete="name"
          value={values.holderName}
          onChange={(e) => change("holderName", e.target.value)}
          error={errors.holderName}
        />
        <Input
          id={fieldId("deliveryPoint")}
          label={t("form.deliveryPoint")}
          hint={t("form.deliveryPointHint")}
          inputMode="numeric"
          autoComplete="off"
          value={values.deliveryPoint}
          onChange={(e) => change("deliveryPoint", e.target.value)}
          error={errors.deliveryPoint}
        />
        <Input
          id={fieldId("iban")}
          label={t("form.iban")}
          hint={current ? t("form.ibanHintCurrent", { iban: current.ibanMasked }) : t("form.ibanHint")}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={values.iban}
          onChange={(e) => change("iban", e.target.value)}
          error={errors.iban}
        />
        <Input
          id={fieldId("bic")}
          label={t("form.bic")}
          hint={t("form.bicHint")}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={values.bic}
          onChange={(e) => change("bic", e.target.value)}
          error={errors.bic}
        />
        <div className="flex flex-col gap-1">
          <div className="flex items-start gap-3">
            <input
              id={fieldId("consent")}
              type="checkbox"
              className={cn("mt-1 size-5 shrink-0 accent-brand-700", errors.consent && "outline-2 outline-red-700")}
              checked={values.consent}
              onChange={(e) => change("consent", e.target.checked)}
              aria-invalid={errors.consent ? true : undefined}
              aria-describedby={errors.consent ? `${fieldId("consent")}-error` : undefined}
            />
            <label htmlFor={fieldId("consent")} className="text-sm text-stone-800">
              {t("form.consent")}
            </label>
          </div>
          {errors.consent && (
            <p id={`${fieldId("consent")}-error`} className="text-sm text-red-700">
              {errors.consent}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" className="min-h-11" disabled={save.isPending}>
            {save.isPending ? t("form.pending") : current ? t("form.submitChange") : t("form.submitEnrol")}
          </Button>
          <p role="status" className="text-sm text-stone-800">
            {saved ? t("form.saved") : ""}
          </p>
        </div>
      </form>

      {view.history.length > 0 && (
        <Card aria-labelledby="enrolment-history-title">
          <CardHeader title={<span id="enrolment-history-title">{t("history.title")}</span>} description={t("history.description")} />
          <CardContent>
            <ol className="flex flex-col gap-3">
              {view.history.map((version, i) => (
                <li key={version.id} className="border-b border-stone-200 pb-3 text-sm last:border-b-0 last:pb-0">
                  <p className="font-medium text-stone-900">
                    {t("history.version", { date: date(version.createdAt) })}
                    {i === 0 && <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-800">{t("history.current")}</span>}
                  </p>
                  <p className="text-stone-700">
                    {version.holderName} · {version.deliveryPoint}
                  </p>
                  <p className="tabular-nums text-stone-700">
                    {version.ibanMasked}
                    {version.bic ? ` · ${version.bic}` : ""}
                  </p>
                </li>
              ))}
            </ol>
          </CardContent>
        </Card>
      )}
    </div>
  );
}

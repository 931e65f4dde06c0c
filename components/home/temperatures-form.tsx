"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { refusedFields } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { DEFAULT_COMFORT_C, DEFAULT_ECO_C, temperaturesRefusal } from "@/server/domain/heating";
import { useFieldMessage, useRoomChanges } from "./heating-client";
import { TempStepper } from "./temp-stepper";

/** The room's comfort and eco temperatures (the programme's eco time, the comfort and eco modes). */
export function TemperaturesForm({ room }: { room: { id: string; comfortC: number | null; ecoC: number | null } }) {
  const t = useTranslations("heating.temperatures");
  const fieldMessage = useFieldMessage();
  const { setTemperatures } = useRoomChanges();
  const [draft, setDraft] = useState<{ comfortC: number; ecoC: number } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState(0);
  const [saved, setSaved] = useState(false);
  const values = draft ?? { comfortC: room.comfortC ?? DEFAULT_COMFORT_C, ecoC: room.ecoC ?? DEFAULT_ECO_C };
  const change = (next: Partial<typeof values>) => {
    setDraft({ ...values, ...next });
    setErrors({});
    setSaved(false);
  };
  const refuse = (fields: string[]) => {
    setErrors(Object.fromEntries(fields.map((field) => [field, fieldMessage(field, values)])));
    setRefusal((n) => n + 1);
  };
  const fieldIds = { comfortC: "temperatures-comfort", ecoC: "temperatures-eco" } as Record<string, string>;
  return (
    <form
      className="flex flex-col gap-3 rounded-lg border border-stone-200 bg-white p-4 shadow-sm"
      aria-labelledby="temperatures-title"
      onSubmit={(event) => {
        event.preventDefault();
        const local = temperaturesRefusal(values.comfortC, values.ecoC);
        if (local) return refuse([local.field]);
        setTemperatures.mutate(
          { roomId: room.id, ...values },
          {
            onSuccess: () => {
              setDraft(null);
              setSaved(true);
            },
            onError: (error) => refuse(Object.keys(refusedFields(error) ?? { "": "" })),
          },
        );
      }}
    >
      <h2 id="temperatures-title" className="text-base font-semibold text-stone-900">
        {t("legend")}
      </h2>
      <ErrorSummary
        title={t("errorTitle")}
        errors={Object.entries(errors).map(([field, message]) => ({ fieldId: fieldIds[field] ?? "", message }))}
        refusal={refusal}
      />
      <div className="flex flex-wrap gap-6">
        <TempStepper
          id="temperatures-comfort"
          label={t("comfort")}
          valueC={values.comfortC}
          onChange={(comfortC) => change({ comfortC })}
          lowerLabel={t("lowerComfort")}
          raiseLabel={t("raiseComfort")}
          error={errors.comfortC}
        />
        <TempStepper
          id="temperatures-eco"
          label={t("eco")}
          valueC={values.ecoC}
          onChange={(ecoC) => change({ ecoC })}
          lowerLabel={t("lowerEco")}
          raiseLabel={t("raiseEco")}
          error={errors.ecoC}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" className="min-h-11" disabled={setTemperatures.isPending}>
          {t("save")}
        </Button>
        <p role="status" className="text-sm text-stone-800">
          {saved ? t("saved") : ""}
        </p>
      </div>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { refusedFields } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { Select } from "@/components/ui/select";
import {
  copyDay,
  DEFAULT_COMFORT_C,
  MINUTES_PER_DAY,
  PROGRAMME_GRAIN_MINUTES,
  PROGRAMME_TEMPLATES,
  programmeRefusal,
  templateBlocks,
  type ProgrammeBlock,
  type ProgrammeTemplateId,
} from "@/server/domain/heating";
import { DAY_KEYS, minuteLabel, useFieldMessage, useHeatingFormat, useRoomChanges } from "./heating-client";
import { TempStepper } from "./temp-stepper";

const QUARTERS = Array.from({ length: MINUTES_PER_DAY / PROGRAMME_GRAIN_MINUTES + 1 }, (_, i) => i * PROGRAMME_GRAIN_MINUTES);
const START_OPTIONS = QUARTERS.slice(0, -1).map((m) => ({ value: String(m), label: minuteLabel(m) }));
const END_OPTIONS = QUARTERS.slice(1).map((m) => ({ value: String(m), label: minuteLabel(m) }));
/** A new block lasts two hours, from the end of the day's last one (or 07:00). */
const NEW_BLOCK_MINUTES = 120;
const FIRST_BLOCK_START = 7 * 60;

/** The field ids of the page: the domain's field names ("blocks.3.endMinute") made ids. */
const fieldId = (field: string) => `programme-${field.replaceAll(".", "-")}`;
const blockIndexOf = (field: string) => {
  const match = /^blocks\.(\d+)/.exec(field);
  return match ? Number(match[1]) : null;
};

type Room = { id: string; name: string; timeZone: string; comfortC: number | null; ecoC: number | null; programme: ProgrammeBlock[] | null };

/**
 * A room's weekly programme: one day at a time (tabs), the week drawn beside on wider screens.
 * Changes stay on the page until saved; the domain's checks run before sending, and a refusal
 * shows beside its field and in a summary at the top.
 */
export function ProgrammeEditor({ room }: { room: Room }) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(room.timeZone);
  const fieldMessage = useFieldMessage();
  const { setProgramme } = useRoomChanges();
  const uid = useId();
  const [draft, setDraft] = useState<ProgrammeBlock[] | null>(null);
  const [day, setDay] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [copyTo, setCopyTo] = useState<number[]>([]);
  const [template, setTemplate] = useState<ProgrammeTemplateId>(PROGRAMME_TEMPLATES[0].id);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);

  const blocks = draft ?? room.programme ?? [];
  const comfortC = room.comfortC ?? DEFAULT_COMFORT_C;
  const dayName = (d: number) => t(`days.${DAY_KEYS[d]!}`);
  /** A day within a sentence (lower case in French). */
  const dayInText = (d: number) => t(`daysInText.${DAY_KEYS[d]!}`);
  /** A change of the page's programme (null: back to the saved one). */
  const edit = (next: ProgrammeBlock[] | null, message: string | null = null) => {
    setDraft(next);
    setErrors({});
    setNotice(message);
  };
  const update = (index: number, change: Partial<ProgrammeBlock>) => edit(blocks.map((b, i) => (i === index ? { ...b, ...change } : b)));
  const showErrors = (found: Record<string, string>) => {
    setErrors(found);
    setRefusal((n) => n + 1);
    setNotice(null);
    // The first refused block's day comes into view.
    const first = Object.keys(found).map(blockIndexOf).find((i) => i !== null);
    if (first != null && blocks[first]) setDay(blocks[first].day);
  };

  const save = () => {
    const local = programmeRefusal(blocks);
    if (local) return showErrors({ [local.field]: fieldMessage(local.field) });
    setProgramme.mutate(
      { roomId: room.id, blocks },
      {
        onSuccess: () => {
          setDraft(null);
          setErrors({});
          setNotice(t("programme.saved"));
        },
        onError: (error) => {
          const fields = refusedFields(error);
          showErrors(fields ? Object.fromEntries(Object.keys(fields).map((k) => [k, fieldMessage(k)])) : { "": t("errors.other") });
        },
      },
    );
  };

  const addBlock = () => {
    const lastEnd = Math.max(0, ...blocks.filter((b) => b.day === day).map((b) => b.endMinute));
    const start = lastEnd === 0 ? FIRST_BLOCK_START : lastEnd;
    if (start >= MINUTES_PER_DAY) return setNotice(t("programme.dayFull"));
    edit([...blocks, { day, startMinute: start, endMinute: Math.min(MINUTES_PER_DAY, start + NEW_BLOCK_MINUTES), targetC: comfortC }]);
  };

  const onTabKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: day + 1, ArrowLeft: day - 1, Home: 0, End: 6 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const wrapped = (next + 7) % 7;
    setDay(wrapped);
    tabs.current[wrapped]?.focus();
  };

  const dayBlocks = blocks.map((b, index) => ({ b, index })).filter(({ b }) => b.day === day);
  const summary = Object.entries(errors).map(([field, message]) => ({ fieldId: field ? fieldId(field) : "", message }));
  const errorOf = (field: string) => errors[field];

  return (
    <div className="flex flex-col gap-6">
      <ErrorSummary title={t("programme.errorTitle")} errors={summary} refusal={refusal} />

      <WeekChart blocks={blocks} dayLabel={(d) => t(`daysShort.${DAY_KEYS[d]!}`)} />

      <div>
        <div role="tablist" aria-label={t("programme.dayTabs")} className="grid grid-cols-7 gap-1" onKeyDown={onTabKey}>
          {DAY_KEYS.map((key, d) => (
            <button
              key={key}
              ref={(el) => {
                tabs.current[d] = el;
              }}
              type="button"
              role="tab"
              id={`${uid}-tab-${d}`}
              aria-selected={d === day}
              aria-controls={`${uid}-panel`}
              tabIndex={d === day ? 0 : -1}
              onClick={() => setDay(d)}
              className={`min-h-11 rounded-md border text-sm font-medium ${d === day ? "border-brand-700 bg-brand-700 text-white" : "border-stone-300 bg-white text-stone-900 hover:bg-stone-100"}`}
            >
              <span aria-hidden="true">{t(`daysShort.${key}`)}</span>
              <span className="sr-only">{dayName(d)}</span>
            </button>
          ))}
        </div>

        <div role="tabpanel" id={`${uid}-panel`} aria-labelledby={`${uid}-tab-${day}`} className="mt-4 flex flex-col gap-4">
          <h2 className="text-lg font-semibold text-stone-900">{t("programme.dayBlocks", { day: dayInText(day) })}</h2>
          {dayBlocks.length === 0 ? (
            <p className="text-sm text-stone-700">{t("programme.noBlocks", { eco: f.temp(room.ecoC ?? comfortC) })}</p>
          ) : (
            <ul className="flex flex-col gap-3">
              {dayBlocks.map(({ b, index }) => {
                const span = { start: minuteLabel(b.startMinute), end: minuteLabel(b.endMinute) };
                const overlap = errorOf(`blocks.${index}`);
                return (
                  <li key={index}>
                    <fieldset
                      id={fieldId(`blocks.${index}`)}
                      tabIndex={-1}
                      aria-describedby={overlap ? `${fieldId(`blocks.${index}`)}-error` : undefined}
                      className={`rounded-lg border p-3 ${overlap ? "border-red-700" : "border-stone-200"} bg-white`}
                    >
                      <legend className="px-1 text-sm font-semibold text-stone-900">{t("programme.blockLegend", span)}</legend>
                      {overlap && (
                        <p id={`${fieldId(`blocks.${index}`)}-error`} className="mb-2 text-sm text-red-700">
                          {overlap}
                        </p>
                      )}
                      <div className="grid grid-cols-2 gap-3">
                        <Select
                          id={fieldId(`blocks.${index}.startMinute`)}
                          label={t("programme.start")}
                          options={START_OPTIONS}
                          value={String(b.startMinute)}
                          error={errorOf(`blocks.${index}.startMinute`)}
                          onChange={(event) => update(index, { startMinute: Number(event.target.value) })}
                        />
                        <Select
                          id={fieldId(`blocks.${index}.endMinute`)}
                          label={t("programme.end")}
                          options={END_OPTIONS}
                          value={String(b.endMinute)}
                          error={errorOf(`blocks.${index}.endMinute`)}
                          onChange={(event) => update(index, { endMinute: Number(event.target.value) })}
                        />
                      </div>
                      <div className="mt-3 flex flex-wrap items-end justify-between gap-3">
                        <TempStepper
                          id={fieldId(`blocks.${index}.targetC`)}
                          label={t("programme.temperature")}
                          valueC={b.targetC}
                          onChange={(targetC) => update(index, { targetC })}
                          lowerLabel={t("programme.lowerBlock", span)}
                          raiseLabel={t("programme.raiseBlock", span)}
                          error={errorOf(`blocks.${index}.targetC`)}
                        />
                        <Button variant="secondary" className="min-h-11" onClick={() => edit(blocks.filter((_, i) => i !== index))}>
                          {t("programme.remove", span)}
                        </Button>
                      </div>
                    </fieldset>
                  </li>
                );
              })}
            </ul>
          )}
          {dayBlocks.length > 0 && <p className="text-sm text-stone-700">{t("programme.outside", { eco: f.temp(room.ecoC ?? comfortC) })}</p>}
          <Button variant="secondary" className="min-h-11 self-start" onClick={addBlock}>
            {t("programme.add")}
          </Button>

          <fieldset className="rounded-lg border border-stone-200 bg-white p-3">
            <legend className="px-1 text-sm font-semibold text-stone-900">{t("programme.copyLegend", { day: dayInText(day) })}</legend>
            <div className="grid grid-cols-2 gap-1 sm:grid-cols-3">
              {DAY_KEYS.map((key, d) =>
                d === day ? null : (
                  <label key={key} className="flex min-h-10 items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4 accent-brand-700"
                      checked={copyTo.includes(d)}
                      onChange={(event) => setCopyTo((to) => (event.target.checked ? [...to, d] : to.filter((x) => x !== d)))}
                    />
                    {dayName(d)}
                  </label>
                ),
              )}
            </div>
            <Button
              variant="secondary"
              className="mt-2 min-h-11"
              onClick={() => {
                const to = copyTo.filter((d) => d !== day);
                if (to.length === 0) return setNotice(t("programme.copyNone"));
                edit(copyDay(blocks, day, to), t("programme.copied", { day: dayInText(day), count: to.length }));
                setCopyTo([]);
              }}
            >
              {t("programme.copy")}
            </Button>
          </fieldset>
        </div>
      </div>

      <fieldset className="rounded-lg border border-stone-200 bg-white p-3">
        <legend className="px-1 text-sm font-semibold text-stone-900">{t("programme.templatesLegend")}</legend>
        <div className="flex flex-wrap items-end gap-3">
          <Select
            id="programme-template"
            label={t("programme.template")}
            options={PROGRAMME_TEMPLATES.map(({ id }) => ({ value: id, label: t(`templates.${id}`) }))}
            value={template}
            onChange={(event) => setTemplate(event.target.value as ProgrammeTemplateId)}
            aria-describedby="programme-template-hint"
          />
          <Button
            variant="secondary"
            className="min-h-11"
            onClick={() => edit(templateBlocks(template, comfortC), t("programme.templateApplied", { name: t(`templates.${template}`) }))}
          >
            {t("programme.applyTemplate")}
          </Button>
        </div>
        <p id="programme-template-hint" className="mt-1 text-sm text-stone-600">
          {t(`templates.${template}_hint`)}
        </p>
      </fieldset>

      <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-stone-200 bg-stone-50/95 py-3">
        <Button onClick={save} disabled={setProgramme.isPending} className="min-h-11">
          {setProgramme.isPending ? t("programme.saving") : t("programme.save")}
        </Button>
        {draft && (
          <Button variant="ghost" className="min-h-11" onClick={() => edit(null)}>
            {t("programme.discard")}
          </Button>
        )}
        <p role="status" className="text-sm text-stone-800">
          {notice ?? (draft ? t("programme.unsaved") : "")}
        </p>
      </div>
    </div>
  );
}

/** The week at a glance, for wider screens; the day tabs carry the same for everyone. */
function WeekChart({ blocks, dayLabel }: { blocks: ProgrammeBlock[]; dayLabel: (day: number) => string }) {
  return (
    <div aria-hidden="true" className="hidden grid-cols-7 gap-2 md:grid">
      {DAY_KEYS.map((key, d) => (
        <div key={key} className="flex flex-col items-stretch gap-1 text-center text-xs text-stone-700">
          <span className="font-medium">{dayLabel(d)}</span>
          <div className="relative h-40 rounded-sm bg-sky-50 ring-1 ring-stone-200">
            {blocks
              .filter((b) => b.day === d)
              .map((b, i) => (
                <div
                  key={i}
                  className="absolute inset-x-0 rounded-sm bg-brand-600/80"
                  style={{ top: `${(b.startMinute / MINUTES_PER_DAY) * 100}%`, height: `${((b.endMinute - b.startMinute) / MINUTES_PER_DAY) * 100}%` }}
                  title={`${minuteLabel(b.startMinute)}–${minuteLabel(b.endMinute)}`}
                />
              ))}
          </div>
        </div>
      ))}
    </div>
  );
}

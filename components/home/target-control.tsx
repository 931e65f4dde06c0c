"use client";

import { useTranslations } from "next-intl";
import { useEffect, useReducer, useRef } from "react";
import { cn } from "@/components/ui/cn";
import { DEFAULT_COMFORT_C, TARGET_STEP_C } from "@/server/domain/heating";
import { isRefusal } from "@/components/trpc/errors";
import { useHeatingFormat, type RoomChanges } from "./heating-client";
import { canLower, canRaise, INITIAL_DRAFT, TARGET_SEND_DELAY_MS, targetDraftReducer } from "./target-draft";

/**
 * The target being set with − and + (see target-draft.ts): shown at once, sent once after a
 * pause, rolled back with a message if the server refuses it.
 */
export function useTargetDraft(roomId: string, serverTargetC: number | null, setTarget: RoomChanges["setTarget"]) {
  const [draft, dispatch] = useReducer(targetDraftReducer, INITIAL_DRAFT);
  // The latest of each, without restarting the pause when a refresh or a render brings them again.
  // `unsent`: a value still in its pause, which leaving the page sends at once (the mutation outlives the page).
  const latest = useRef({ serverTargetC, send: setTarget.mutateAsync, unsent: null as number | null });
  useEffect(() => {
    const unsent = draft.value !== null && draft.sentSeq !== draft.seq ? draft.value : null;
    latest.current = { serverTargetC, send: setTarget.mutateAsync, unsent };
  });

  useEffect(() => {
    if (draft.value === null || draft.sentSeq === draft.seq) return;
    const { seq, value } = draft;
    const timer = window.setTimeout(() => {
      dispatch({ type: "sent", seq });
      // Up and back down again: nothing to send.
      if (value === latest.current.serverTargetC) return dispatch({ type: "saved", seq });
      latest.current.send({ roomId, targetC: value }).then(
        () => dispatch({ type: "saved", seq }),
        (error: unknown) => dispatch({ type: "refused", seq, reason: isRefusal(error) ? "refused" : "failed" }),
      );
    }, TARGET_SEND_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draft, roomId]);

  useEffect(
    () => () => {
      const { unsent, serverTargetC: serverC, send } = latest.current;
      if (unsent !== null && unsent !== serverC) send({ roomId, targetC: unsent }).catch(() => undefined);
    },
    [roomId],
  );

  const baseC = serverTargetC ?? DEFAULT_COMFORT_C;
  return {
    /** What the page shows: the resident's value until the server has it, else the server's. */
    shownC: draft.value ?? serverTargetC,
    pending: draft.value !== null,
    refused: draft.refused,
    step: (deltaC: number) => dispatch({ type: "step", deltaC, baseC }),
  };
}

/** − target + for one room; the buttons name the room for screen readers and stop at the bounds. */
export function TargetControl({
  room,
  draft,
}: {
  room: { id: string; name: string; timeZone: string };
  draft: ReturnType<typeof useTargetDraft>;
}) {
  const t = useTranslations("heating");
  const f = useHeatingFormat(room.timeZone);
  const value = draft.shownC;
  const base = value ?? DEFAULT_COMFORT_C;
  const buttonClass =
    "flex size-12 items-center justify-center rounded-full border-2 border-brand-700 bg-white text-2xl font-semibold text-brand-700 " +
    "hover:bg-brand-50 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-brand-700 " +
    "disabled:cursor-not-allowed disabled:border-stone-300 disabled:text-stone-400";
  return (
    <div className="flex items-center gap-3">
      <button type="button" className={buttonClass} onClick={() => draft.step(-TARGET_STEP_C)} disabled={!canLower(base)} aria-label={t("control.lower", { room: room.name })}>
        <span aria-hidden="true">−</span>
      </button>
      <div className="min-w-24 text-center">
        <p className="text-xs font-medium uppercase tracking-wide text-stone-600">{t("card.target")}</p>
        <p data-testid="target" className={cn("text-2xl font-semibold tabular-nums", draft.pending ? "text-brand-700" : "text-stone-900")}>
          {value === null ? "—" : f.temp(value)}
        </p>
      </div>
      <button type="button" className={buttonClass} onClick={() => draft.step(TARGET_STEP_C)} disabled={!canRaise(base)} aria-label={t("control.raise", { room: room.name })}>
        <span aria-hidden="true">+</span>
      </button>
      {/* Each new target, spoken (polite: quick taps are read as one). */}
      <p className="sr-only" aria-live="polite">
        {draft.pending && value !== null ? t("control.announce", { room: room.name, target: f.temp(value) }) : ""}
      </p>
    </div>
  );
}

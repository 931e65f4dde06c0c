import { TARGET_BOUNDS_C, TARGET_STEP_C } from "@/server/domain/heating";

/**
 * The target a resident is setting with − and +, before and while the server takes it. Taps
 * change `value` at once (the page shows it); after a pause the page sends it once, and the
 * server's answer either becomes the room's target (the draft goes) or is refused (the draft
 * goes too, so the page shows the server's target again, with `refused` set for the message).
 * `seq` counts taps: an answer for an older value leaves newer taps alone.
 */
export type TargetDraft = {
  value: number | null;
  seq: number;
  /** The tap whose value was last sent. */
  sentSeq: number | null;
  /** The server refused or failed the last value sent; cleared by the next tap. */
  refused: "refused" | "failed" | null;
};

export type TargetDraftAction =
  | { type: "step"; deltaC: number; baseC: number }
  | { type: "sent"; seq: number }
  | { type: "saved"; seq: number }
  | { type: "refused"; seq: number; reason: "refused" | "failed" };

export const INITIAL_DRAFT: TargetDraft = { value: null, seq: 0, sentSeq: null, refused: null };

/** How long after the last tap the target is sent: twenty quick taps make one change. */
export const TARGET_SEND_DELAY_MS = 700;

/** `valueC` moved by `deltaC`, kept on the step and within the bounds. */
export function steppedTarget(valueC: number, deltaC: number): number {
  const next = Math.round((valueC + deltaC) / TARGET_STEP_C) * TARGET_STEP_C;
  return Math.min(TARGET_BOUNDS_C.max, Math.max(TARGET_BOUNDS_C.min, next));
}

export const canLower = (valueC: number) => valueC > TARGET_BOUNDS_C.min;
export const canRaise = (valueC: number) => valueC < TARGET_BOUNDS_C.max;

export function targetDraftReducer(state: TargetDraft, action: TargetDraftAction): TargetDraft {
  switch (action.type) {
    case "step": {
      const value = steppedTarget(state.value ?? action.baseC, action.deltaC);
      return { ...state, value, seq: state.seq + 1, refused: null };
    }
    case "sent":
      return { ...state, sentSeq: action.seq };
    case "saved":
      return action.seq === state.seq ? { ...state, value: null } : state;
    case "refused":
      // Newer taps stand (they are sent in turn); otherwise back to the server's target.
      return action.seq === state.seq ? { ...state, value: null, refused: action.reason } : state;
  }
}

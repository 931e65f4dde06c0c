import { describe, expect, it } from "vitest";
import { INITIAL_DRAFT, steppedTarget, targetDraftReducer, type TargetDraft, type TargetDraftAction } from "./target-draft";

const run = (actions: TargetDraftAction[], from: TargetDraft = INITIAL_DRAFT) => actions.reduce(targetDraftReducer, from);
const plus = (baseC: number): TargetDraftAction => ({ type: "step", deltaC: 0.5, baseC });

describe("target draft", () => {
  it("twenty taps add up from the server's target into one value to send", () => {
    const state = run(Array.from({ length: 20 }, () => plus(19)));
    expect(state.value).toBe(28); // 19 + 10 would be 29: held at the upper bound
    expect(state.seq).toBe(20);
  });

  it("keeps values on the 0.5 °C step and within 7–28 °C", () => {
    expect(steppedTarget(20.3, 0.5)).toBe(21);
    expect(steppedTarget(7, -0.5)).toBe(7);
    expect(steppedTarget(27.5, 0.5)).toBe(28);
  });

  it("drops the draft once the server has taken the value sent", () => {
    const sent = run([plus(20), plus(20), { type: "sent", seq: 2 }]);
    expect(sent.value).toBe(21);
    expect(run([{ type: "saved", seq: 2 }], sent)).toMatchObject({ value: null, refused: null });
  });

  it("rolls back to the server's target with a reason when the value sent is refused", () => {
    const sent = run([plus(20), { type: "sent", seq: 1 }]);
    expect(run([{ type: "refused", seq: 1, reason: "refused" }], sent)).toMatchObject({ value: null, refused: "refused" });
  });

  it("keeps taps made while an older value was on its way, whatever its answer", () => {
    const sent = run([plus(20), { type: "sent", seq: 1 }, plus(20)]);
    expect(run([{ type: "refused", seq: 1, reason: "failed" }], sent)).toMatchObject({ value: 21, refused: null });
    expect(run([{ type: "saved", seq: 1 }], sent)).toMatchObject({ value: 21 });
  });

  it("a new tap clears the message of a refusal", () => {
    const refused = run([plus(20), { type: "sent", seq: 1 }, { type: "refused", seq: 1, reason: "refused" }]);
    expect(run([plus(20)], refused)).toMatchObject({ value: 20.5, refused: null });
  });
});

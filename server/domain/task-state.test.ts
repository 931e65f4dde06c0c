import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { deriveTaskState, isFinalTaskState, type InstanceStateCounts, type TaskState } from "./task-state";

const none: InstanceStateCounts = {
  waiting: 0,
  queued: 0,
  dispatched: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
};
const c = (counts: Partial<InstanceStateCounts>): InstanceStateCounts => ({ ...none, ...counts });

describe("deriveTaskState", () => {
  it("cancel requested with instances on radiators → PendingCancel", () => {
    expect(deriveTaskState(c({ running: 1, queued: 3 }), true)).toBe("PendingCancel");
    expect(deriveTaskState(c({ dispatched: 2, succeeded: 5 }), true)).toBe("PendingCancel");
  });

  it("cancel requested and nothing on a radiator → Cancelled", () => {
    expect(deriveTaskState(c({ queued: 3 }), true)).toBe("Cancelled");
    expect(deriveTaskState(c({ cancelled: 3, succeeded: 2 }), true)).toBe("Cancelled");
    expect(deriveTaskState(c({ failed: 1, cancelled: 3 }), true)).toBe("Cancelled");
    expect(deriveTaskState(none, true)).toBe("Cancelled");
  });

  it("no instances → Submitted", () => {
    expect(deriveTaskState(none, false)).toBe("Submitted");
  });

  it("all ended: any failed → Failure", () => {
    expect(deriveTaskState(c({ succeeded: 9, failed: 1 }), false)).toBe("Failure");
    expect(deriveTaskState(c({ failed: 1, cancelled: 4 }), false)).toBe("Failure");
  });

  it("all ended, none failed: any cancelled → Cancelled", () => {
    expect(deriveTaskState(c({ succeeded: 9, cancelled: 1 }), false)).toBe("Cancelled");
  });

  it("all ended and all succeeded → Success", () => {
    expect(deriveTaskState(c({ succeeded: 10 }), false)).toBe("Success");
  });

  it("a failure is not final while other instances are active", () => {
    expect(deriveTaskState(c({ failed: 1, running: 2 }), false)).toBe("FullyExecuting");
  });

  it("every active instance running → FullyExecuting, some → PartiallyExecuting", () => {
    expect(deriveTaskState(c({ running: 4 }), false)).toBe("FullyExecuting");
    expect(deriveTaskState(c({ running: 4, succeeded: 6 }), false)).toBe("FullyExecuting");
    expect(deriveTaskState(c({ running: 4, queued: 1 }), false)).toBe("PartiallyExecuting");
    expect(deriveTaskState(c({ running: 1, dispatched: 1 }), false)).toBe("PartiallyExecuting");
    expect(deriveTaskState(c({ running: 1, waiting: 1 }), false)).toBe("PartiallyExecuting");
  });

  it("dispatched, none running: none waiting/queued → FullyDispatched, else PartiallyDispatched", () => {
    expect(deriveTaskState(c({ dispatched: 3 }), false)).toBe("FullyDispatched");
    expect(deriveTaskState(c({ dispatched: 3, succeeded: 1 }), false)).toBe("FullyDispatched");
    expect(deriveTaskState(c({ dispatched: 3, queued: 1 }), false)).toBe("PartiallyDispatched");
    expect(deriveTaskState(c({ dispatched: 3, waiting: 1 }), false)).toBe("PartiallyDispatched");
  });

  it("only waiting or queued (besides ended) → Submitted", () => {
    expect(deriveTaskState(c({ queued: 5 }), false)).toBe("Submitted");
    expect(deriveTaskState(c({ waiting: 5 }), false)).toBe("Submitted");
    expect(deriveTaskState(c({ queued: 1, succeeded: 5, failed: 1 }), false)).toBe("Submitted");
  });

  it("refuses negative or fractional counts", () => {
    expect(() => deriveTaskState(c({ queued: -1 }), false)).toThrow(RangeError);
    expect(() => deriveTaskState(c({ running: 0.5 }), false)).toThrow(RangeError);
  });

  it("property: a state is final exactly when no instance is active and no radiator holds one", () => {
    const counts = fc.record({
      waiting: fc.nat({ max: 5 }),
      queued: fc.nat({ max: 5 }),
      dispatched: fc.nat({ max: 5 }),
      running: fc.nat({ max: 5 }),
      succeeded: fc.nat({ max: 5 }),
      failed: fc.nat({ max: 5 }),
      cancelled: fc.nat({ max: 5 }),
    });
    fc.assert(
      fc.property(counts, fc.boolean(), (k, cancel) => {
        const state = deriveTaskState(k, cancel);
        const onRadiators = k.dispatched + k.running;
        const active = k.waiting + k.queued + onRadiators;
        const total = active + k.succeeded + k.failed + k.cancelled;
        if (cancel) expect(isFinalTaskState(state)).toBe(onRadiators === 0);
        else expect(isFinalTaskState(state)).toBe(total > 0 && active === 0);
        // Success means every instance succeeded.
        if (state === "Success") expect(k.succeeded).toBe(total);
      }),
    );
  });
});

describe("isFinalTaskState", () => {
  it("is true for Success, Failure and Cancelled only", () => {
    const all: TaskState[] = [
      "Submitted",
      "PartiallyDispatched",
      "FullyDispatched",
      "PartiallyExecuting",
      "FullyExecuting",
      "Success",
      "Failure",
      "Cancelled",
      "PendingCancel",
    ];
    expect(all.filter(isFinalTaskState)).toEqual(["Success", "Failure", "Cancelled"]);
  });
});

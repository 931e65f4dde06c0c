import { describe, expect, it } from "vitest";
import { INSTANCE_STATE_WORDS, instanceCountLine, progressBarParts, TASK_STATE_WORDS } from "./instance-vocabulary";
import { INSTANCE_STATES, TASK_STATES, type InstanceStateCounts } from "./task-state";

const counts = (c: Partial<InstanceStateCounts>): InstanceStateCounts => ({
  waiting: 0,
  queued: 0,
  dispatched: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  ...c,
});

describe("state vocabulary", () => {
  it("names every instance and task state in plain words, never Qarnot's names", () => {
    expect(INSTANCE_STATES.map((s) => INSTANCE_STATE_WORDS[s])).toEqual(["Waiting", "Queued", "Dispatched", "Running", "Succeeded", "Failed", "Cancelled"]);
    for (const s of TASK_STATES) expect(TASK_STATE_WORDS[s]).toMatch(/^[A-Z][a-z]+( [a-z]+)?$/);
    expect(TASK_STATE_WORDS.FullyDispatched).toBe("Dispatched");
    expect(TASK_STATE_WORDS.Submitted).toBe("Queued");
  });

  it("counts dispatched instances as dispatched, not running, as the legend does", () => {
    expect(instanceCountLine(counts({ dispatched: 4 }))).toBe("0 succeeded · 4 dispatched · 0 running");
    expect(instanceCountLine(counts({ succeeded: 2, running: 1, dispatched: 1, queued: 3, waiting: 1 }))).toBe(
      "2 succeeded · 1 waiting · 3 queued · 1 dispatched · 1 running",
    );
  });

  it("says what a cancel leaves: cancelled ones as cancelled, those still stopping as running", () => {
    expect(instanceCountLine(counts({ cancelled: 10, running: 30 }))).toBe("0 succeeded · 10 cancelled · 30 running");
    expect(instanceCountLine(counts({ succeeded: 1, failed: 2, cancelled: 37 }))).toBe("1 succeeded · 2 failed · 37 cancelled");
    expect(instanceCountLine(counts({ succeeded: 1_200 }))).toBe("1,200 succeeded");
  });
});

describe("progressBarParts", () => {
  it("shows a task cancelled before anything ran as all cancelled and 0 % done", () => {
    const bar = progressBarParts(counts({ cancelled: 40 }), 100);
    expect(bar).toMatchObject({ succeededPct: 0, failedPct: 0, cancelledPct: 100, activePct: 0, donePct: 0 });
    expect(bar.text).toBe("0 % done: 0 succeeded · 40 cancelled of 40 instances");
  });

  it("gives succeeded, failed, cancelled and running progress their own parts", () => {
    // 10 instances: 4 succeeded, 1 failed, 1 cancelled, 2 running at 50 %, 2 queued → (6 + 1) / 10.
    const bar = progressBarParts(counts({ succeeded: 4, failed: 1, cancelled: 1, running: 2, queued: 2 }), 70);
    expect(bar).toMatchObject({ succeededPct: 40, failedPct: 10, cancelledPct: 10, activePct: 10, donePct: 50 });
    expect(bar.succeededPct + bar.failedPct + bar.cancelledPct + bar.activePct).toBeLessThanOrEqual(100);
  });

  it("never lets running progress exceed the running instances' share, nor the bar 100 %", () => {
    const bar = progressBarParts(counts({ succeeded: 1, dispatched: 1, queued: 2 }), 90);
    expect(bar.activePct).toBe(25);
    expect(bar.donePct).toBe(50);
    expect(progressBarParts(counts({ succeeded: 3 }), 100)).toMatchObject({ succeededPct: 100, activePct: 0, donePct: 100 });
  });

  it("reads a task without instances as empty", () => {
    expect(progressBarParts(counts({}), 0)).toMatchObject({ donePct: 0, succeededPct: 0, activePct: 0 });
  });
});

import { describe, expect, it } from "vitest";
import { decodeInstanceGrid, encodeInstanceGrid as encodeRuns, instanceGridVersion, type StateRun } from "./instance-grid";
import { INSTANCE_STATES, type InstanceState } from "./task-state";

/** The grid of instances given one by one, each a range of one number and a run of one state. */
const encodeInstanceGrid = (numbers: number[], states: InstanceState[]) =>
  encodeRuns(
    numbers.map((n): [number, number] => [n, n]),
    states.map((state): StateRun => ({ state, length: 1 })),
  );

describe("instance grid encoding", () => {
  it("encodes runs of states compactly and decodes them back", () => {
    const numbers = [10, 11, 12, 13, 14, 20];
    const states: InstanceState[] = ["queued", "running", "queued", "queued", "queued", "succeeded"];
    const encoded = encodeInstanceGrid(numbers, states);
    expect(encoded).toEqual({ numbers: "10-14,20", runs: "BDB3E" });
    const decoded = decodeInstanceGrid(encoded);
    expect(decoded.numbers).toEqual(numbers);
    expect([...decoded.codes].map((c) => INSTANCE_STATES[c])).toEqual(states);
    expect(decodeInstanceGrid({ numbers: "", runs: "" })).toEqual({ numbers: [], codes: new Uint8Array(0) });
  });

  it("costs a few bytes for 100,000 instances in few states, and one character each at worst", () => {
    const numbers = Array.from({ length: 100_000 }, (_, i) => i);
    const blocks = numbers.map((n): InstanceState => (n < 30_000 ? "succeeded" : n < 30_500 ? "running" : "queued"));
    const few = encodeInstanceGrid(numbers, blocks);
    expect(few).toEqual({ numbers: "0-99999", runs: `E${(30_000).toString(36)}D${(500).toString(36)}B${(69_500).toString(36)}` });
    expect([...decodeInstanceGrid(few).codes].map((c) => INSTANCE_STATES[c])).toEqual(blocks);

    const alternating = numbers.map((n): InstanceState => (n % 2 ? "running" : "failed"));
    const worst = encodeInstanceGrid(numbers, alternating);
    expect(worst.runs).toHaveLength(100_000);
    expect([...decodeInstanceGrid(worst).codes].map((c) => INSTANCE_STATES[c])).toEqual(alternating);
  });

  it("joins neighbouring runs and ranges as the database may group them", () => {
    const grid = encodeRuns(
      [[5, 9], [0, 4], [12, 12]],
      [{ state: "queued", length: 3 }, { state: "queued", length: 4 }, { state: "running", length: 1 }, { state: "queued", length: 3 }],
    );
    expect(grid).toEqual({ numbers: "0-9,12", runs: "B7DB3" });
    expect(encodeRuns([], [])).toEqual({ numbers: "", runs: "" });
    expect(() => encodeRuns([[0, 0]], [{ state: "lost" as InstanceState, length: 1 }])).toThrow(RangeError);
  });

  it("versions change with any state", () => {
    const a = encodeInstanceGrid([1, 2, 3], ["queued", "queued", "running"]);
    const b = encodeInstanceGrid([1, 2, 3], ["queued", "running", "running"]);
    expect(instanceGridVersion(a)).toBe(instanceGridVersion({ ...a }));
    expect(instanceGridVersion(a)).not.toBe(instanceGridVersion(b));
  });
});

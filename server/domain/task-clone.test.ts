import { describe, expect, it } from "vitest";
import { cloneDefaults, dependencyChoices, type ClonedTask } from "./task-clone";
import { TASK_LIMITS } from "./task-limits";

const task: ClonedTask = {
  profileName: "monte-carlo",
  name: "pricing",
  instanceRanges: "0-3",
  instanceCount: 4,
  constants: { paths: "1000", spot: "100", MY_FLAG: "on" },
  tags: ["q4", "desk-a"],
  schedulingType: "OnDemand",
  minCores: 4,
  minRamGb: 8,
  maxWallTimeS: 90,
  maxRetriesPerInstance: 1,
  jobId: "00000000-0000-4000-8000-000000000001",
  dependsOn: ["00000000-0000-4000-8000-000000000002"],
};

describe("cloneDefaults", () => {
  it("carries every setting of the task into the form, named as a copy", () => {
    expect(cloneDefaults(task, ["paths", "spot", "strike"])).toEqual({
      profile: "monte-carlo",
      name: "pricing (copy)",
      instanceMode: "count",
      instanceCount: "4",
      instanceRanges: "0-3",
      constants: { paths: "1000", spot: "100" },
      extraConstants: "MY_FLAG=on",
      tags: "q4, desk-a",
      schedulingType: "OnDemand",
      minCores: "4",
      minRamGb: "8",
      maxWallTimeMin: "1.5",
      maxRetriesPerInstance: "1",
      jobId: "00000000-0000-4000-8000-000000000001",
      dependsOn: ["00000000-0000-4000-8000-000000000002"],
    });
  });

  it("keeps numbering that does not start at 0 as ranges, and no limit as an empty field", () => {
    const d = cloneDefaults({ ...task, instanceRanges: "1-120", instanceCount: 120, maxWallTimeS: null, jobId: null }, []);
    expect(d).toMatchObject({ instanceMode: "ranges", instanceRanges: "1-120", maxWallTimeMin: "", jobId: "" });
    expect(d.extraConstants.split("\n").sort()).toEqual(["MY_FLAG=on", "paths=1000", "spot=100"]);
  });

  it("stays within the name limit", () => {
    const d = cloneDefaults({ ...task, name: "n".repeat(TASK_LIMITS.maxNameChars) }, []);
    expect(d.name).toHaveLength(TASK_LIMITS.maxNameChars);
    expect(d.name.endsWith(" (copy)")).toBe(true);
  });
});

describe("dependencyChoices", () => {
  it("puts the cloned task's older dependencies before the recent tasks, each once", () => {
    const recent = [{ id: "r1" }, { id: "d2" }, { id: "r3" }];
    expect(dependencyChoices(recent, [{ id: "d1" }, { id: "d2" }]).map((t) => t.id)).toEqual(["d1", "r1", "d2", "r3"]);
    expect(dependencyChoices(recent, []).map((t) => t.id)).toEqual(["r1", "d2", "r3"]);
  });
});

import { describe, expect, it } from "vitest";
import { taskInputProblems } from "./task-check";

describe("a task's input, checked in one pass", () => {
  it("names every field at fault at once: shortname, instances and the profile's constants", () => {
    expect(
      taskInputProblems({ profileName: "monte-carlo", shortname: "0f8fad5b-d9cb-469f-a165-70867728950e", instanceCount: 0, constants: { spot: "-5" } }),
    ).toEqual({
      shortname: "A shortname must not look like a uuid.",
      instanceCount: "A task needs at least one instance.",
      constants: 'Constant "spot" must be greater than 0 (got "-5").',
    });
    expect(Object.keys(taskInputProblems({ profileName: "render", instanceRanges: "5-1", constants: { width: "0" } }))).toEqual([
      "instanceRanges",
      "constants",
    ]);
  });

  it("finds nothing wrong with a good task, nor with the constants of a profile it does not know", () => {
    expect(taskInputProblems({ profileName: "monte-carlo", instanceCount: 4, constants: { paths: "1000" } })).toEqual({});
    expect(taskInputProblems({ profileName: "someone-elses", instanceRanges: "1-3", constants: { anything: "x" } })).toEqual({});
  });

  it("says each missing constant of a container task", () => {
    expect(taskInputProblems({ profileName: "docker-batch", instanceCount: 1, constants: {} }).constants).toMatch(/"image".*"command"/s);
  });
});

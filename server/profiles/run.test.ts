import { describe, expect, it } from "vitest";
import { decodePng } from "./png";
import { runInstance } from "./run";

describe("runInstance", () => {
  it("monte-carlo: writes result.json and exits 0", () => {
    const run = runInstance("monte-carlo", { paths: "2000" }, 4);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toEqual([]);
    expect(run.outputs.map((o) => [o.name, o.contentType])).toEqual([["result.json", "application/json"]]);
    const result = JSON.parse(run.outputs[0]!.content.toString("utf8"));
    expect(result).toMatchObject({ profile: "monte-carlo", instanceNumber: 4, paths: 2000 });
    expect(run.stdout.at(-1)).toMatch(/wrote result\.json/);
  });

  it("render: writes frame-NNNN.png and exits 0", () => {
    const run = runInstance("render", { width: "32", height: "24", samples: "1" }, 12);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.map((o) => [o.name, o.contentType])).toEqual([["frame-0012.png", "image/png"]]);
    expect(decodePng(run.outputs[0]!.content)).toMatchObject({ widthPx: 32, heightPx: 24 });
  });

  it("unknown profile: exit 1 and a line on stderr, no outputs", () => {
    expect(runInstance("docker-batch", {}, 1)).toEqual({
      outputs: [],
      stdout: [],
      stderr: ['hearth-run: unknown profile "docker-batch"; this radiator runs monte-carlo, render'],
      exitCode: 1,
    });
  });

  it("invalid constants: exit 1, one stderr line per problem naming the constant", () => {
    const run = runInstance("monte-carlo", { spot: "abc", volatility: "-1" }, 1);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual([]);
    expect(run.stderr).toEqual([
      'monte-carlo: Constant "spot" must be a number, e.g. 0.25 (got "abc").',
      'monte-carlo: Constant "volatility" must be greater than 0 (got "-1").',
      "monte-carlo: nothing computed; fix the task's constants and resubmit",
    ]);
    expect(runInstance("render", { width: "10000" }, 1).stderr[0]).toBe('render: Constant "width" must be at most 640 (got "10000").');
  });

  it("never throws, whatever it is given", () => {
    expect(runInstance("render", {}, -3)).toMatchObject({ exitCode: 1, stderr: ["render: instance number must be a non-negative integer, got -3"] });
    expect(runInstance("monte-carlo", null as unknown as Record<string, string>, 1)).toMatchObject({ exitCode: 1 });
    expect(runInstance(undefined as unknown as string, {}, 1)).toMatchObject({ exitCode: 1 });
    expect(runInstance("monte-carlo", { spot: 5 as unknown as string }, 1)).toMatchObject({ exitCode: 1 });
  });
});

import { describe, expect, it } from "vitest";
import { runMonteCarlo } from "../profiles/monte-carlo";
import { blackScholesPrice, Z_95 } from "./option-pricing";
import { consolidateMonteCarloResults, consolidateTaskResult } from "./task-results";

const resultJson = (instanceNumber: number, constants: Record<string, string> = { paths: "20000" }) =>
  JSON.stringify(runMonteCarlo(constants, instanceNumber).result);

function ok(consolidation: ReturnType<typeof consolidateTaskResult>) {
  if (!consolidation.ok) throw new Error(consolidation.error);
  return consolidation.result;
}

function errorOf(consolidation: ReturnType<typeof consolidateTaskResult>): string {
  if (consolidation.ok) throw new Error("expected an error");
  return consolidation.error;
}

describe("consolidateTaskResult", () => {
  it("monte-carlo: pools the instances' result.json into a price with its 95 % interval", () => {
    const jsons = Array.from({ length: 8 }, (_, i) => resultJson(i + 1));
    const result = ok(consolidateTaskResult("monte-carlo", jsons))!;
    expect(result.instances).toBe(8);
    expect(result.paths).toBe(8 * 20_000);
    expect(result.parameters).toMatchObject({ optionType: "european", right: "call", spot: 100 });
    expect(result.ci95Low).toBeCloseTo(result.price - Z_95 * result.standardError, 12);
    expect(result.ci95High).toBeCloseTo(result.price + Z_95 * result.standardError, 12);
    const exact = blackScholesPrice({ spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturityYears: 1, right: "call" });
    expect(Math.abs(result.price - exact)).toBeLessThan(4 * result.standardError);

    const single = JSON.parse(jsons[0]!) as { standardError: number };
    expect(result.standardError / (single.standardError / Math.sqrt(8))).toBeGreaterThan(0.85);
    expect(result.standardError / (single.standardError / Math.sqrt(8))).toBeLessThan(1.15);
  });

  it("accepts bytes as well as text, in any order", () => {
    const jsons = [resultJson(2), resultJson(1)];
    const fromText = ok(consolidateMonteCarloResults(jsons));
    const fromBytes = ok(consolidateMonteCarloResults([...jsons].reverse().map((j) => Buffer.from(j, "utf8"))));
    expect(fromBytes!.price).toBeCloseTo(fromText!.price, 12);
  });

  it("counts a rerun instance once: it drew the same numbers", () => {
    const once = ok(consolidateMonteCarloResults([resultJson(1), resultJson(2)]))!;
    const twice = ok(consolidateMonteCarloResults([resultJson(1), resultJson(2), resultJson(2)]))!;
    expect(twice).toEqual(once);
  });

  it("render and other profiles have no numeric consolidated result", () => {
    expect(consolidateTaskResult("render", [])).toEqual({ ok: true, result: null });
    expect(consolidateTaskResult("docker-batch", ["anything"])).toEqual({ ok: true, result: null });
  });

  it("says why it cannot consolidate", () => {
    expect(errorOf(consolidateTaskResult("monte-carlo", []))).toMatch(/No finished instance/);
    expect(errorOf(consolidateTaskResult("monte-carlo", [resultJson(1), "{oops"]))).toBe("Result 2 of 2 is not valid JSON.");
    expect(errorOf(consolidateTaskResult("monte-carlo", [JSON.stringify({ profile: "render" })]))).toMatch(/^Result 1 of 1 is not a monte-carlo result\.json: profile/);
    const broken = { ...JSON.parse(resultJson(1)), standardError: -1 };
    expect(errorOf(consolidateTaskResult("monte-carlo", [JSON.stringify(broken)]))).toMatch(/standardError/);
    expect(errorOf(consolidateTaskResult("monte-carlo", [resultJson(1), resultJson(2, { paths: "20000", strike: "90" })]))).toBe(
      "Instances 1 and 2 priced different options; only one task's results can be pooled.",
    );
    expect(errorOf(consolidateTaskResult("monte-carlo", [new Uint8Array([0xff, 0xfe])]))).toMatch(/not valid JSON/);
  });
});

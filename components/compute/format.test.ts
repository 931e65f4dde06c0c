import { describe, expect, it } from "vitest";
import { formatCarbonG } from "./format";

describe("formatCarbonG", () => {
  it("writes grams under a kilogram and kilograms above, to one decimal", () => {
    expect(formatCarbonG(0)).toBe("0 gCO2e");
    expect(formatCarbonG(0.04)).toBe("< 0.1 gCO2e");
    expect(formatCarbonG(0.05)).toBe("0.1 gCO2e");
    expect(formatCarbonG(31.45)).toBe("31.5 gCO2e");
    expect(formatCarbonG(999.94)).toBe("999.9 gCO2e");
    expect(formatCarbonG(999.96)).toBe("1 kgCO2e");
    expect(formatCarbonG(1234.56)).toBe("1.2 kgCO2e");
    expect(formatCarbonG(2_500_000)).toBe("2,500 kgCO2e");
  });
});

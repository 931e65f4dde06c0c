import { describe, expect, it } from "vitest";
import { archiveEntryName, priceSummaryCsv } from "./task-archive";

describe("archiveEntryName", () => {
  it("files an output under its instance, never outside it", () => {
    expect(archiveEntryName(3, "frame-0003.png")).toBe("instance-3/frame-0003.png");
    expect(archiveEntryName(0, "logs/run.txt")).toBe("instance-0/logs/run.txt");
    expect(archiveEntryName(1, "../../etc/passwd")).toBe("instance-1/etc/passwd");
    expect(archiveEntryName(1, "/abs\\win\\x")).toBe("instance-1/abs/win/x");
    expect(archiveEntryName(2, "..")).toBe("instance-2/output");
  });
});

describe("priceSummaryCsv", () => {
  it("writes one header and one row: the figures, then the option's parameters", () => {
    const csv = priceSummaryCsv({
      price: 10.5,
      standardError: 0.1,
      ci95Low: 10.3,
      ci95High: 10.7,
      paths: 2000,
      instances: 2,
      parameters: { optionType: "asian", right: "call", spot: 100, strike: 105, rate: 0.01, volatility: 0.25, maturityYears: 1, averagingSteps: null },
    });
    expect(csv).toBe(
      "price,standard_error,ci95_low,ci95_high,paths,instances,optionType,right,spot,strike,rate,volatility,maturityYears,averagingSteps\r\n" +
        "10.5,0.1,10.3,10.7,2000,2,asian,call,100,105,0.01,0.25,1,\r\n",
    );
  });
});

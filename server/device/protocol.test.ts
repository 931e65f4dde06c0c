import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reportResponseSchema, reportSchema } from "./protocol";

/** The JSON blocks of the protocol's documented example, in order: the report, then the response. */
function documentedExample() {
  const doc = readFileSync(path.join(process.cwd(), "docs/device-protocol.md"), "utf8");
  const example = doc.slice(doc.indexOf("\n## Example"));
  return [...example.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
}

describe("the documented example", () => {
  it("is a valid report and a valid response", () => {
    const [report, response] = documentedExample();
    const parsed = reportSchema.parse(report);
    expect(parsed.radiators[0]!.runningAttemptIds).toEqual([4190]);
    expect(reportResponseSchema.parse(response).seq).toBe(parsed.seq);
  });
});

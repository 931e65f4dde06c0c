import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { HEATING_MODES } from "@/server/domain/heating";
import { METER_ANOMALY_REASONS } from "@/server/domain/metering";
import { REFUND_LINE_KINDS } from "@/server/domain/refunds";
import { ATTEMPT_STATES, INSTANCE_STATES, SCHEDULING_TYPES } from "@/server/domain/task-state";
import { useTestDb } from "@/server/test/db";

const db = useTestDb();

async function enumValues(name: string): Promise<string[]> {
  const [row] = await db.execute<{ values: string[] }>(sql`select enum_range(null::${sql.identifier(name)})::text[] as values`);
  return row!.values;
}

// The domain's lists are what the code switches on; the migrated database must hold the same values.
describe("database enums", () => {
  it("hold the domain's states, scheduling types, meter anomaly reasons and refund line kinds, in the same order", async () => {
    expect(await enumValues("instance_state")).toEqual([...INSTANCE_STATES]);
    expect(await enumValues("attempt_state")).toEqual([...ATTEMPT_STATES]);
    expect(await enumValues("scheduling_type")).toEqual([...SCHEDULING_TYPES]);
    expect(await enumValues("meter_anomaly_reason")).toEqual([...METER_ANOMALY_REASONS]);
    expect(await enumValues("heating_mode")).toEqual([...HEATING_MODES]);
    expect(await enumValues("refund_line_kind")).toEqual([...REFUND_LINE_KINDS]);
  });
});

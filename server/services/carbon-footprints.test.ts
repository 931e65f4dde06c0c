import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qarnotCarbonFacts } from "@/server/domain/carbon";
import { MeteredGateway } from "@/server/test/metered-gateway";
import { organizationIdByName, resetEngine } from "@/server/test/db";
import { useCountingDb } from "@/server/test/query-count";
import { footprintsOfTasks, workCarbonFacts } from "./carbon";
import { getTask, listTasks, taskSummaryViews } from "./task-queries";
import { createTask } from "./tasks";

/**
 * Carbon so far in the queue: each task's footprint read for a whole page at once is the footprint
 * its own Carbon Facts label shows, in as many queries for one task as for many.
 */

const counting = useCountingDb();
const db = counting.db;
const at = (iso: string) => new Date(iso);

let gateway: MeteredGateway;
let lumen: string;
let alpha: string;
let beta: string;
let idle: string;
let importId: number;
const from = at("2026-02-10T08:00:00Z");
const to = at("2026-02-10T11:55:00Z");

/** What the task's label says its footprint is (GET /carbon/v1/tasks/{uuid}/carbon-facts). */
const labelFootprint = async (taskId: string) =>
  qarnotCarbonFacts(await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId })).qarnot_carbon_footprint;

beforeAll(async () => {
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  await resetEngine(db);
  gateway.reset();
  alpha = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "alpha", instanceCount: 3, now: from })).id;
  beta = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "beta", instanceCount: 1, now: from })).id;
  // Alpha's three instances and beta's one run side by side for two hours: their footprints differ.
  await gateway.run({ from, to, stepS: 300, cores: 4, whPerStep: (i) => 30 + 5 * i, runS: 2 * 3600 });
  // Submitted once the fleet has stopped reporting: it never ran.
  idle = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "idle", instanceCount: 2, now: to })).id;
  // The grid operator's series covers one of the hours: both bases of intensity are in play.
  const [row] = await db.execute<{ id: string }>(sql`
    insert into grid_intensity_imports (country, source, file_name, hours, first_hour_start, last_hour_start)
    values ('FR', 'RTE éCO2mix (test)', 'morning.csv', 1, '2026-02-10T09:00:00Z', '2026-02-10T09:00:00Z') returning id`);
  importId = Number(row!.id);
  await db.execute(sql`insert into grid_intensity_hourly (country, hour_start, intensity_mg_per_kwh, import_id)
    values ('FR', '2026-02-10T09:00:00Z', 61000, ${importId})`);
});

afterAll(async () => {
  await db.execute(sql`delete from grid_intensity_hourly where import_id = ${importId}`);
  await db.execute(sql`delete from grid_intensity_imports where id = ${importId}`);
  await resetEngine(db);
  await gateway.forget();
});

describe("carbon so far, for a page of tasks", () => {
  it("is each task's label footprint, and 0 for a task that has drawn no energy", async () => {
    const footprints = await footprintsOfTasks(db, [alpha, beta, idle]);
    const labels = await Promise.all([alpha, beta, idle].map(labelFootprint));
    expect(labels[0]).toBeGreaterThan(0);
    expect(labels[1]).toBeGreaterThan(0);
    expect(labels[0]).not.toBe(labels[1]);
    expect([footprints.get(alpha), footprints.get(beta), footprints.get(idle)]).toEqual(labels);
    expect(footprints.get(idle)).toBe(0);
    // Read alone or with others, a task's footprint is the same.
    expect((await footprintsOfTasks(db, [beta])).get(beta)).toBe(labels[1]);
    expect(await footprintsOfTasks(db, [])).toEqual(new Map());
  });

  it("is what the queue, the task page and the API's summaries show", async () => {
    const expected = { [alpha]: await labelFootprint(alpha), [beta]: await labelFootprint(beta), [idle]: 0 };
    const listed = await listTasks(db, { organizationId: lumen, page: 1, pageSize: 50 });
    expect(Object.fromEntries(listed.tasks.map((t) => [t.id, t.carbonGCO2e]))).toEqual(expected);
    const views = await taskSummaryViews(db, { organizationId: lumen, taskIds: [alpha, beta, idle] });
    expect(Object.fromEntries(views.tasks.map((t) => [t.id, t.carbonGCO2e]))).toEqual(expected);
    for (const taskId of [alpha, beta, idle]) {
      expect((await getTask(db, { organizationId: lumen, taskId }))!.carbonGCO2e).toBe(expected[taskId]);
    }
  });

  it("takes as many queries for many tasks as for one", async () => {
    const one = await counting.measure(() => footprintsOfTasks(db, [alpha]));
    const three = await counting.measure(() => footprintsOfTasks(db, [alpha, beta, idle]));
    // The ledger's slices, then the grid's hourly series and annual versions.
    expect(one.queries).toBe(2);
    expect(three.queries).toBe(one.queries);
    // The second task, newest first, has drawn energy, as two of the three have.
    const pageOfOne = await counting.measure(() => listTasks(db, { organizationId: lumen, page: 2, pageSize: 1 }));
    expect(pageOfOne.result.tasks[0]!.carbonGCO2e).toBeGreaterThan(0);
    const pageOfThree = await counting.measure(() => listTasks(db, { organizationId: lumen, page: 1, pageSize: 3 }));
    expect(pageOfThree.result.tasks).toHaveLength(3);
    expect(pageOfThree.queries).toBe(pageOfOne.queries);
  });
});

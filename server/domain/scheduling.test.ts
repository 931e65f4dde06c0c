import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planAssignments, type PlannedAssignment, type QueuedInstance, type RadiatorSlot } from "./scheduling";

const ORGS = ["org-a", "org-b", "org-c", "research"] as const;

const radiatorArb = (i: number) =>
  fc.record<RadiatorSlot>({
    radiatorId: fc.constant(`r${String(i).padStart(3, "0")}` as string),
    freeCores: fc.integer({ min: 0, max: 16 }),
    totalCores: fc.constantFrom(16, 24, 96),
    ramGb: fc.constantFrom(16, 32, 384),
    containerRuntime: fc.boolean(),
    currentOrganizationId: fc.option(fc.constantFrom(...ORGS), { nil: null, freq: 3 }),
  });

const fleetArb = fc.integer({ min: 0, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => radiatorArb(i))));

const queueArb = fc
  .array(
    fc.record({
      organizationId: fc.constantFrom(...ORGS),
      priorityClass: fc.integer({ min: 0, max: 3 }),
      coresNeeded: fc.constantFrom(1, 1, 2, 4),
      minCores: fc.constantFrom(1, 1, 24),
      minRamGb: fc.constantFrom(1, 1, 32),
      requiresContainerRuntime: fc.constantFrom(false, false, false, false, true),
    }),
    { maxLength: 80 },
  )
  .map((rows) => rows.map((r, i): QueuedInstance => ({ ...r, instanceId: i + 1 })));

const runningArb = fc.dictionary(fc.constantFrom(...ORGS), fc.integer({ min: 0, max: 40 }));

function fits(r: RadiatorSlot, i: QueuedInstance, freeCores: number) {
  return (
    freeCores >= i.coresNeeded &&
    r.totalCores >= i.minCores &&
    r.ramGb >= i.minRamGb &&
    (!i.requiresContainerRuntime || r.containerRuntime)
  );
}

function check(radiators: RadiatorSlot[], queue: QueuedInstance[], plan: PlannedAssignment[]) {
  const byId = new Map(queue.map((i) => [i.instanceId, i]));
  const radiatorById = new Map(radiators.map((r) => [r.radiatorId, r]));
  // Each instance at most once.
  expect(new Set(plan.map((p) => p.instanceId)).size).toBe(plan.length);
  const onRadiator = new Map<string, PlannedAssignment[]>();
  for (const p of plan) onRadiator.set(p.radiatorId, [...(onRadiator.get(p.radiatorId) ?? []), p]);
  for (const [radiatorId, placed] of onRadiator) {
    const r = radiatorById.get(radiatorId)!;
    // Never more than the heat wanted.
    expect(placed.reduce((n, p) => n + p.coresNeeded, 0)).toBeLessThanOrEqual(r.freeCores);
    // One customer per radiator, including the one already there.
    const orgs = new Set(placed.map((p) => p.organizationId));
    if (r.currentOrganizationId) orgs.add(r.currentOrganizationId);
    expect(orgs.size).toBe(1);
    // Hardware constraints.
    for (const p of placed) expect(fits(r, byId.get(p.instanceId)!, r.freeCores)).toBe(true);
  }
  // No priority inversion: an instance left waiting could not have used the heat that a lower
  // class got on the same radiator.
  const placedIds = new Set(plan.map((p) => p.instanceId));
  for (const waiting of queue.filter((i) => !placedIds.has(i.instanceId))) {
    for (const [radiatorId, placed] of onRadiator) {
      if (!placed.some((p) => byId.get(p.instanceId)!.priorityClass > waiting.priorityClass)) continue;
      const r = radiatorById.get(radiatorId)!;
      const owner = r.currentOrganizationId ?? placed[0]!.organizationId;
      const takenByHigherOrEqual = placed
        .filter((p) => byId.get(p.instanceId)!.priorityClass <= waiting.priorityClass)
        .reduce((n, p) => n + p.coresNeeded, 0);
      const claimedByOtherFirst = owner !== waiting.organizationId && (r.currentOrganizationId !== null || takenByHigherOrEqual > 0);
      if (claimedByOtherFirst) continue;
      expect(fits(r, waiting, r.freeCores - takenByHigherOrEqual), `instance ${waiting.instanceId} waited behind a lower class on ${radiatorId}`).toBe(false);
    }
  }
}

describe("planAssignments", () => {
  it("holds its invariants over random fleets and queues", () => {
    fc.assert(
      fc.property(fleetArb, queueArb, runningArb, (radiators, queue, running) => {
        const plan = planAssignments(radiators, queue, new Map(Object.entries(running)));
        check(radiators, queue, plan);
      }),
      { numRuns: 400 },
    );
  });

  it("is work-conserving: an instance waits only if no radiator could take it", () => {
    fc.assert(
      fc.property(fleetArb, queueArb, (radiators, queue) => {
        const plan = planAssignments(radiators, queue, new Map());
        const placedIds = new Set(plan.map((p) => p.instanceId));
        const left = new Map(radiators.map((r) => [r.radiatorId, r.freeCores]));
        const owner = new Map(radiators.map((r) => [r.radiatorId, r.currentOrganizationId]));
        for (const p of plan) {
          left.set(p.radiatorId, left.get(p.radiatorId)! - p.coresNeeded);
          owner.set(p.radiatorId, p.organizationId);
        }
        for (const waiting of queue.filter((i) => !placedIds.has(i.instanceId))) {
          for (const r of radiators) {
            const o = owner.get(r.radiatorId);
            if (o !== null && o !== waiting.organizationId) continue;
            expect(fits(r, waiting, left.get(r.radiatorId)!)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("serves OnDemand before Flex on the same heat, whatever the queue order", () => {
    const radiators: RadiatorSlot[] = [
      { radiatorId: "r1", freeCores: 2, totalCores: 16, ramGb: 16, containerRuntime: false, currentOrganizationId: null },
    ];
    const base = { minCores: 1, minRamGb: 1, requiresContainerRuntime: false, coresNeeded: 1 };
    const queue: QueuedInstance[] = [
      { ...base, instanceId: 1, organizationId: "org-a", priorityClass: 2 },
      { ...base, instanceId: 2, organizationId: "org-a", priorityClass: 2 },
      { ...base, instanceId: 3, organizationId: "org-b", priorityClass: 1 },
    ];
    expect(planAssignments(radiators, queue, new Map()).map((p) => p.instanceId)).toEqual([3]);
  });

  it("shares heat fairly between customers of the same class", () => {
    const radiators: RadiatorSlot[] = Array.from({ length: 10 }, (_, i) => ({
      radiatorId: `r${i}`,
      freeCores: 4,
      totalCores: 16,
      ramGb: 16,
      containerRuntime: false,
      currentOrganizationId: null,
    }));
    const base = { minCores: 1, minRamGb: 1, requiresContainerRuntime: false, coresNeeded: 1, priorityClass: 2 };
    // Customer A queued 100 instances before customer B queued 100.
    const queue: QueuedInstance[] = [
      ...Array.from({ length: 100 }, (_, i) => ({ ...base, instanceId: i + 1, organizationId: "org-a" })),
      ...Array.from({ length: 100 }, (_, i) => ({ ...base, instanceId: 101 + i, organizationId: "org-b" })),
    ];
    const plan = planAssignments(radiators, queue, new Map());
    const count = (org: string) => plan.filter((p) => p.organizationId === org).length;
    expect(count("org-a")).toBe(20);
    expect(count("org-b")).toBe(20);
    // A customer already running much gets the heat only after the others catch up.
    const skewed = planAssignments(radiators, queue, new Map([["org-a", 30]]));
    expect(skewed).toHaveLength(40);
    expect(skewed.slice(0, 30).every((p) => p.organizationId === "org-b")).toBe(true);
    expect(skewed.filter((p) => p.organizationId === "org-b").length).toBeGreaterThanOrEqual(30);
  });

  it("gives donated research only the heat that paid work cannot use", () => {
    const radiators: RadiatorSlot[] = [
      { radiatorId: "r1", freeCores: 4, totalCores: 16, ramGb: 16, containerRuntime: false, currentOrganizationId: null },
      { radiatorId: "r2", freeCores: 4, totalCores: 16, ramGb: 16, containerRuntime: false, currentOrganizationId: null },
    ];
    const base = { minCores: 1, minRamGb: 1, requiresContainerRuntime: false, coresNeeded: 1 };
    const queue: QueuedInstance[] = [
      ...Array.from({ length: 8 }, (_, i) => ({ ...base, instanceId: i + 1, organizationId: "research", priorityClass: 3 })),
      ...Array.from({ length: 4 }, (_, i) => ({ ...base, instanceId: 20 + i, organizationId: "org-a", priorityClass: 2 })),
    ];
    const plan = planAssignments(radiators, queue, new Map());
    expect(plan.filter((p) => p.organizationId === "org-a")).toHaveLength(4);
    expect(plan.filter((p) => p.organizationId === "research")).toHaveLength(4);
  });
});

/**
 * Heat-driven dispatch, as a pure function: which queued instances go to which radiators.
 *
 * Rules, in order of precedence:
 * 1. A radiator offers only the cores its room's thermostat wants (`freeCores`); work follows heat.
 * 2. Priority classes are served strictly in order (Reserved, OnDemand, Flex, then donated
 *    research): a lower class gets a radiator only after every instance of the classes above
 *    was offered all the heat of this round.
 * 3. Fair share within a class: the next instance placed is always the head of the queue of the
 *    customer with the fewest cores running right now (counting what this round placed), ties to
 *    the customer whose head instance is older. Within a customer, first in, first out.
 * 4. One customer per radiator at a time: a radiator already running a customer's work takes only
 *    more of that customer's work; an idle one belongs to the first customer placed on it.
 * 5. Hardware constraints: the radiator's total cores and memory, and a container runtime when the
 *    profile needs one.
 */

export type RadiatorSlot = {
  radiatorId: string;
  /** Cores wanted by the thermostat and not yet promised to an attempt. */
  freeCores: number;
  totalCores: number;
  ramGb: number;
  containerRuntime: boolean;
  /** The customer whose work runs on it now, or null when idle. */
  currentOrganizationId: string | null;
};

export type QueuedInstance = {
  instanceId: number;
  organizationId: string;
  priorityClass: number;
  coresNeeded: number;
  minCores: number;
  minRamGb: number;
  requiresContainerRuntime: boolean;
};

export type PlannedAssignment = {
  instanceId: number;
  radiatorId: string;
  organizationId: string;
  coresNeeded: number;
};

function fits(radiator: RadiatorSlot, instance: QueuedInstance) {
  return (
    radiator.freeCores >= instance.coresNeeded &&
    radiator.totalCores >= instance.minCores &&
    radiator.ramGb >= instance.minRamGb &&
    (!instance.requiresContainerRuntime || radiator.containerRuntime)
  );
}

/** Instances with the same requirements either all fit a given radiator or none do. */
function requirementKey(i: QueuedInstance) {
  return `${i.organizationId}|${i.coresNeeded}|${i.minCores}|${i.minRamGb}|${i.requiresContainerRuntime}`;
}

/**
 * @param queue queued instances in queue order (older first) — any mix of classes and customers.
 * @param runningCoresByOrg cores each customer runs on the whole fleet before this round.
 */
export function planAssignments(
  radiators: readonly RadiatorSlot[],
  queue: readonly QueuedInstance[],
  runningCoresByOrg: ReadonlyMap<string, number>,
): PlannedAssignment[] {
  const slots = radiators.filter((r) => r.freeCores > 0).map((r) => ({ ...r }));
  // Biggest heat demand first, so that large instances find room.
  slots.sort((a, b) => b.freeCores - a.freeCores || (a.radiatorId < b.radiatorId ? -1 : 1));
  const ownedBy = new Map<string, RadiatorSlot[]>();
  const idle: RadiatorSlot[] = [];
  for (const slot of slots) {
    if (slot.currentOrganizationId === null) idle.push(slot);
    else ownedBy.set(slot.currentOrganizationId, [...(ownedBy.get(slot.currentOrganizationId) ?? []), slot]);
  }
  let freeCoresLeft = slots.reduce((n, s) => n + s.freeCores, 0);
  const running = new Map(runningCoresByOrg);
  const plan: PlannedAssignment[] = [];

  const findRadiator = (instance: QueuedInstance): RadiatorSlot | undefined => {
    const own = ownedBy.get(instance.organizationId);
    const mine = own?.find((r) => fits(r, instance));
    if (mine) return mine;
    return idle.find((r) => fits(r, instance));
  };

  const classes = [...new Set(queue.map((i) => i.priorityClass))].sort((a, b) => a - b);
  for (const priorityClass of classes) {
    if (freeCoresLeft === 0) break;
    // Per-customer FIFO queues of this class.
    const queues = new Map<string, QueuedInstance[]>();
    for (const instance of queue) {
      if (instance.priorityClass !== priorityClass) continue;
      const q = queues.get(instance.organizationId);
      if (q) q.push(instance);
      else queues.set(instance.organizationId, [instance]);
    }
    const heads = new Map<string, number>([...queues.keys()].map((org) => [org, 0]));
    const unplaceable = new Set<string>();

    while (heads.size > 0 && freeCoresLeft > 0) {
      // The customer with the fewest running cores; ties to the older head instance.
      let chosen: string | undefined;
      for (const [org, at] of heads) {
        if (chosen === undefined) {
          chosen = org;
          continue;
        }
        const a = running.get(org) ?? 0;
        const b = running.get(chosen) ?? 0;
        if (a < b || (a === b && queues.get(org)![at]!.instanceId < queues.get(chosen)![heads.get(chosen)!]!.instanceId)) {
          chosen = org;
        }
      }
      const org = chosen!;
      const orgQueue = queues.get(org)!;
      const at = heads.get(org)!;
      const instance = orgQueue[at]!;
      heads.set(org, at + 1);
      if (at + 1 >= orgQueue.length) heads.delete(org);

      const key = requirementKey(instance);
      if (unplaceable.has(key)) continue;
      const radiator = findRadiator(instance);
      if (!radiator) {
        unplaceable.add(key);
        continue;
      }
      if (radiator.currentOrganizationId === null) {
        radiator.currentOrganizationId = org;
        idle.splice(idle.indexOf(radiator), 1);
        ownedBy.set(org, [...(ownedBy.get(org) ?? []), radiator]);
      }
      radiator.freeCores -= instance.coresNeeded;
      if (radiator.freeCores === 0) {
        const own = ownedBy.get(org)!;
        own.splice(own.indexOf(radiator), 1);
      }
      freeCoresLeft -= instance.coresNeeded;
      running.set(org, (running.get(org) ?? 0) + instance.coresNeeded);
      plan.push({ instanceId: instance.instanceId, radiatorId: radiator.radiatorId, organizationId: org, coresNeeded: instance.coresNeeded });
    }
  }
  return plan;
}

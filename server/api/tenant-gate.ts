/**
 * At most `limit` of one key's pieces of work run at once in this process; the others wait their
 * turn, first come first served. Keys are tenants: one customer's burst of reads queues behind
 * itself and leaves database connections to everyone else.
 */
export class TenantGate {
  private readonly slots = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(readonly limit: number) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    const mine = slot;
    if (mine.active >= this.limit) await new Promise<void>((resolve) => mine.waiting.push(resolve));
    else mine.active += 1;
    try {
      return await work();
    } finally {
      const next = mine.waiting.shift();
      // The slot passes to the next in line; the last one out forgets the key.
      if (next) next();
      else if (--mine.active === 0) this.slots.delete(key);
    }
  }
}

/**
 * Reads of one tenant that run at once in this process when HEARTH_TENANT_READS does not say: a
 * read holds up to two database connections (queries that run side by side), so one at a time
 * keeps a customer's burst (a page of 50 tasks, a large log polled) to a corner of the pool and
 * of the database's cores, while others' reads go straight through.
 */
export const DEFAULT_TENANT_READS = 1;

/** HEARTH_TENANT_READS as a whole number, at least 1; the default when unset. */
export function tenantReadsLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_TENANT_READS;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`HEARTH_TENANT_READS must be a whole number of reads, at least 1; got ${JSON.stringify(value)}`);
  }
  return n;
}

/** The key under which an organization's reads take turns (a customer's, a landlord's). */
export const organizationGateKey = (organizationId: string) => `organization:${organizationId}`;

const globalForGate = globalThis as unknown as { hearthTenantReads?: TenantGate };

/**
 * The one gate of the web's reads, shared by tRPC queries and REST GETs: a customer's portal and
 * its API scripts take turns together. Kept on globalThis so that every route of the process
 * (each bundled on its own) finds the same one.
 */
export function tenantReads(): TenantGate {
  globalForGate.hearthTenantReads ??= new TenantGate(tenantReadsLimit(process.env.HEARTH_TENANT_READS));
  return globalForGate.hearthTenantReads;
}

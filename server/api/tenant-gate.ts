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

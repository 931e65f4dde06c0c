import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { jsonb, pgArray } from "@/server/db/sql-params";
import { parisUtcOffsetMinutes } from "@/server/domain/household";
import { hashUnit, seedFromString } from "@/server/domain/random";
import { grantCredits } from "@/server/services/billing";
import { InvalidInputError } from "@/server/services/errors";
import { markNotificationsRead } from "@/server/services/notifications";
import { DEMO_CUSTOMERS } from "@/server/services/seed";
import { createTasks, type NewTask } from "@/server/services/tasks";
import type { Workload } from "./simulation";

/**
 * The demo customers' own work in the filled history: what the two customers with sign-in
 * accounts submitted, week after week, before the demo started. The simulator submits each task
 * as its clock passes the task's submission time, through the same service as the customer's
 * form (createTasks, with the simulated time as `now`); the engine's tick and the gateways'
 * reports then run, meter and charge it as any other work. So invoices, the carbon report and
 * the task list have past months with real figures.
 *
 * The schedule is a pure function of the simulator's seed and the calendar: two demos seeded
 * alike have the same work. Each task has a shortname, unique in its account: a task an earlier
 * run of the simulator already submitted (a history fill interrupted, then resumed) is refused
 * as a duplicate and not submitted twice.
 *
 *   Lumen Animation Studio   renders a shot of its short film on about two working days in
 *                            five, during office hours (24 frames; 48 for a final, On-demand)
 *   Carmin Risk Analytics    revalues an options book by Monte-Carlo on about three working
 *                            days in five, at the end of the day (20 to 60 instances)
 *
 * The sizes are kept small: the radiators run the profiles' real programs (in a worker thread)
 * and the history fill waits for them.
 *
 * Lumen bought prepaid credits before its first task (DEMO_PREPAID_CREDITS): its charges draw on
 * them until they run out, and the rest is due on its invoices; Carmin pays every invoice in full.
 */

/** The prepaid credits a demo customer bought at the start of the history, in cents. */
export const DEMO_PREPAID_CREDITS: Readonly<Record<string, number>> = { [DEMO_CUSTOMERS.lumen]: 2000 };
const DEMO_PREPAID_NOTE = "Prepaid credits, bought before the first task";

export type PlannedTask = {
  /** Submission time (ms since the epoch): a whole minute, in the customer's office hours. */
  atMs: number;
  /** The customer organization's name, as the demo seed creates it. */
  organization: string;
  task: Omit<NewTask, "organizationId" | "now">;
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** A local (Paris) day's date as YYYY-MM-DD, from its day number since the epoch. */
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

type Customer = {
  organization: string;
  /** Chance of a submission on a working day. */
  perWorkingDay: number;
  /** Local submission window, in minutes after midnight (Paris time). */
  fromMinute: number;
  toMinute: number;
  /** The task submitted on `day`; `u(k)` draws uniform numbers of that day. */
  task: (day: number, u: (k: number) => number) => PlannedTask["task"];
};

const PASSES = [
  { pass: "layout", samples: "1" },
  { pass: "lighting", samples: "2" },
  { pass: "final", samples: "4" },
] as const;

const BOOKS = [
  { book: "EUR equity calls", optionType: "european", right: "call" },
  { book: "EUR equity puts", optionType: "european", right: "put" },
  { book: "Asian commodity calls", optionType: "asian", right: "call" },
] as const;

const CUSTOMERS: readonly Customer[] = [
  {
    organization: DEMO_CUSTOMERS.lumen,
    perWorkingDay: 0.4,
    fromMinute: 10 * 60,
    toMinute: 17 * 60,
    task: (day, u) => {
      // The short film "Brise": a sequence a fortnight, shots rendered in passes.
      const sequence = 10 * (1 + (Math.floor(day / 14) % 12));
      const shot = 10 * (1 + Math.floor(u(10) * 12));
      const { pass, samples } = PASSES[Math.floor(u(11) * PASSES.length)]!;
      const frames = pass === "final" ? 48 : 24;
      return {
        profileName: "render",
        name: `Brise sq${pad(sequence, 3)} sh${pad(shot, 3)}, ${pass}`,
        shortname: `brise-${isoDay(day)}`,
        instanceCount: frames,
        schedulingType: pass === "final" ? "OnDemand" : "Flex",
        constants: { width: "160", height: "120", samples, orbitFrames: "120" },
        tags: ["brise", `sq${pad(sequence, 3)}`, pass],
      };
    },
  },
  {
    organization: DEMO_CUSTOMERS.carmin,
    perWorkingDay: 0.6,
    fromMinute: 18 * 60,
    toMinute: 19 * 60 + 30,
    task: (day, u) => {
      const { book, optionType, right } = BOOKS[Math.floor(u(10) * BOOKS.length)]!;
      return {
        profileName: "monte-carlo",
        name: `${book}: end-of-day revaluation ${isoDay(day)}`,
        shortname: `eod-${isoDay(day)}`,
        instanceCount: 20 + 5 * Math.floor(u(11) * 9),
        schedulingType: "Flex",
        constants: {
          optionType,
          right,
          spot: (95 + u(12) * 10).toFixed(2),
          strike: "100",
          rate: "0.03",
          volatility: (0.15 + u(13) * 0.2).toFixed(3),
          maturity: "1",
          paths: "20000",
          seed: String(day),
        },
        tags: ["eod", optionType],
      };
    },
  },
];

/**
 * The demo customers' tasks submitted in [fromMs, toMs), by submission time: a handful a week,
 * on working days (Monday to Friday, Paris time).
 */
export function demoWorkSchedule(opts: { seed: number; fromMs: number; toMs: number }): PlannedTask[] {
  const planned: PlannedTask[] = [];
  const offsetMs = (ms: number) => parisUtcOffsetMinutes(ms) * MINUTE_MS;
  const firstDay = Math.floor((opts.fromMs + offsetMs(opts.fromMs)) / DAY_MS);
  const lastDay = Math.floor((opts.toMs + offsetMs(opts.toMs)) / DAY_MS);
  for (const customer of CUSTOMERS) {
    const seed = seedFromString(`${opts.seed}|demo-work|${customer.organization}`);
    for (let day = firstDay; day <= lastDay; day++) {
      const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
      if (weekday === 0 || weekday === 6) continue;
      const u = (k: number) => hashUnit(seed, day, k);
      if (u(0) >= customer.perWorkingDay) continue;
      const minute = customer.fromMinute + Math.floor(u(1) * (customer.toMinute - customer.fromMinute));
      const localMs = day * DAY_MS + minute * MINUTE_MS;
      // Office hours are far from the night the clocks change: the offset at the local time is the one.
      const atMs = localMs - offsetMs(localMs);
      if (atMs < opts.fromMs || atMs >= opts.toMs) continue;
      planned.push({ atMs, organization: customer.organization, task: customer.task(day, u) });
    }
  }
  return planned.sort((a, b) => a.atMs - b.atMs || a.organization.localeCompare(b.organization));
}

/** Submits the demo customers' scheduled tasks as the simulated clock passes them. */
export class DemoWork implements Workload {
  private next = 0;
  /** Tasks submitted that may still have instances in the queue. */
  private queued: string[] = [];
  /** Tasks submitted, and refused (already submitted by an earlier run, or over a limit since set). */
  readonly stats = { submitted: 0, refused: 0 };

  private constructor(
    private readonly db: Db,
    private readonly plan: ReadonlyArray<PlannedTask & { organizationId: string }>,
    private readonly grants: Array<{ organizationId: string; amountCents: number; atMs: number }>,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * The schedule of [fromMs, toMs) for the demo customers this database has (none on a
   * platform not seeded with the demo: then nothing is ever submitted).
   */
  static async load(db: Db, opts: { seed: number; fromMs: number; toMs: number; log?: (line: string) => void }): Promise<DemoWork> {
    const names = Object.values(DEMO_CUSTOMERS);
    const rows = await db.execute<{ id: string; name: string }>(sql`
      select id, name from organizations where kind = 'customer' and name in (select jsonb_array_elements_text(${jsonb(names)}))`);
    const ids = new Map(rows.map((r) => [r.name, r.id]));
    const plan = demoWorkSchedule(opts).flatMap((p) => {
      const organizationId = ids.get(p.organization);
      return organizationId ? [{ ...p, organizationId }] : [];
    });
    const grants = Object.entries(DEMO_PREPAID_CREDITS).flatMap(([name, amountCents]) => {
      const organizationId = ids.get(name);
      return organizationId && plan.length > 0 ? [{ organizationId, amountCents, atMs: opts.fromMs }] : [];
    });
    return new DemoWork(db, plan, grants, opts.log ?? (() => {}));
  }

  /** How many tasks the schedule holds. */
  get size(): number {
    return this.plan.length;
  }

  /** When the next task is due (ms), or Infinity. */
  get nextAtMs(): number {
    return this.plan[this.next]?.atMs ?? Infinity;
  }

  /** Submits the tasks due by `nowMs`, each at its own submission time; returns how many were created. */
  async submitDue(nowMs: number): Promise<number> {
    await this.grantPrepaidCredits();
    let created = 0;
    while (this.next < this.plan.length && this.plan[this.next]!.atMs <= nowMs) {
      const p = this.plan[this.next++]!;
      // Back at the app to submit, the customer has seen what its earlier tasks' notifications say.
      await markNotificationsRead(this.db, { organizationId: p.organizationId, now: new Date(p.atMs) });
      const [result] = await createTasks(this.db, [{ ...p.task, organizationId: p.organizationId, now: new Date(p.atMs) }]);
      if (result && "task" in result) {
        created += 1;
        this.queued.push(result.task.id);
        this.stats.submitted += 1;
      } else {
        this.stats.refused += 1;
        // A shortname taken is this task, submitted by an earlier run: nothing to say.
        const error = result?.error;
        const duplicate = error instanceof InvalidInputError && Object.keys(error.fields).join() === "shortname";
        if (error && !duplicate) this.log(`demo work: ${p.organization}'s task "${p.task.name}" refused: ${error.message}`);
      }
    }
    return created;
  }

  /** The prepaid credits bought before the first task: once, also across runs of the simulator. */
  private async grantPrepaidCredits() {
    for (const g of this.grants.splice(0)) {
      const [bought] = await this.db.execute(sql`
        select 1 from credit_entries where organization_id = ${g.organizationId} and kind = 'grant' and note = ${DEMO_PREPAID_NOTE}`);
      if (bought) continue;
      await grantCredits(this.db, { organizationId: g.organizationId, amountCents: g.amountCents, note: DEMO_PREPAID_NOTE, userId: null, now: new Date(g.atMs) });
    }
  }

  /** Whether a task it submitted still has instances in the queue, as its customer sees on the task's page. */
  async waiting(): Promise<boolean> {
    if (this.queued.length === 0) return false;
    const rows = await this.db.execute<{ task_id: string }>(sql`
      select distinct task_id from instances where state = 'queued' and task_id = any(${pgArray(this.queued)}::uuid[])`);
    this.queued = rows.map((r) => r.task_id);
    return this.queued.length > 0;
  }
}

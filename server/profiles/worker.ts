import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { runInstance, type InstanceRun } from "./run";

/**
 * A pool that runs profile instances off the caller's thread, so the simulated radiators' real
 * computations (seconds of CPU) do not stall the engine or the web server.
 *
 * Threads need the TypeScript sources on disk and tsx to load them: that is the case under tsx
 * (scripts) and vitest, where the worker starts worker-bootstrap.mjs, which loads worker-entry.ts
 * through tsx's API. Inside Next's bundle, or if a worker fails to start, the pool runs instances
 * in this thread, one at a time, yielding to the event loop before each, so timers and requests
 * still get their turn between instances.
 */

export type ProfileJob = { profileName: string; constants: Record<string, string>; instanceNumber: number };

export type ProfilePoolMode = "threads" | "in-process";

export type ProfilePool = {
  /** "threads" until workers cannot start; then "in-process" for good. */
  readonly mode: ProfilePoolMode;
  readonly size: number;
  /** Resolves with the instance's run (a failed run is a result with exit code 1, not a rejection); rejects only once the pool is closed. */
  run(job: ProfileJob): Promise<InstanceRun>;
  /** Stops the workers; jobs not finished are rejected. */
  close(): Promise<void>;
};

export type ProfilePoolOptions = {
  /** "auto" (default): threads where they can load the sources, else in-process. */
  mode?: "auto" | ProfilePoolMode;
  /** A worker not ready by then counts as failed to start. Default 30 s (tsx compiles the sources first). */
  startTimeoutMs?: number;
  /** The worker's entry; tests point it at a broken one to exercise the fallback. */
  entryUrl?: URL;
};

/** Messages between the pool and worker-entry.ts. */
export type WorkerRequest = ProfileJob & { id: number };
export type WorkerReply =
  | { type: "ready" }
  | { type: "done"; id: number; result: Omit<InstanceRun, "outputs"> & { outputs: Array<{ name: string; contentType: string; content: Uint8Array }> } };

// Not a literal inside `new URL(…)`: bundlers would otherwise try to pull the file into the bundle.
const BOOTSTRAP_FILE = "./worker-bootstrap.mjs";

/** Whether this module runs from its .ts source under tsx or vitest, so a worker can load the sources too. */
export function canUseWorkerThreads(): boolean {
  if (!import.meta.url.endsWith(".ts")) return false;
  return process.env.VITEST !== undefined || process.execArgv.some((arg) => arg.includes("tsx"));
}

type Pending = { job: ProfileJob; resolve: (run: InstanceRun) => void; reject: (error: Error) => void };
type Slot = {
  worker: Worker;
  ready: boolean;
  current: (Pending & { id: number }) | null;
  startTimer: NodeJS.Timeout | null;
  lastError: string | null;
};

export function createProfilePool(size: number, options: ProfilePoolOptions = {}): ProfilePool {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`Pool size must be a positive integer: ${size}`);
  const wanted = options.mode ?? "auto";
  let mode: ProfilePoolMode = wanted === "in-process" || (wanted === "auto" && !canUseWorkerThreads()) ? "in-process" : "threads";
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;

  let closed = false;
  let nextId = 1;
  const queue: Pending[] = [];
  const slots = new Set<Slot>();
  let inProcessTail: Promise<unknown> = Promise.resolve();

  const runInProcess = (pending: Pending) => {
    inProcessTail = inProcessTail.then(async () => {
      await yieldToEventLoop();
      if (closed) return pending.reject(new Error("Profile pool closed"));
      pending.resolve(runInstance(pending.job.profileName, pending.job.constants, pending.job.instanceNumber));
    });
  };

  const fallBackToInProcess = () => {
    mode = "in-process";
    for (const pending of queue.splice(0)) runInProcess(pending);
  };

  // Workers keep the process alive only while there is work for them: an idle pool does not.
  const updateRefs = () => {
    for (const slot of slots) {
      if (slot.current || queue.length > 0) slot.worker.ref();
      else slot.worker.unref();
    }
  };

  const dispatch = () => {
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (!slot.ready || slot.current) continue;
      const pending = queue.shift()!;
      const id = nextId++;
      slot.current = { ...pending, id };
      slot.worker.postMessage({ id, ...pending.job } satisfies WorkerRequest);
    }
    updateRefs();
  };

  const spawn = () => {
    // Resolved here, not up front: in a bundle that never starts threads, import.meta.url may not be a file.
    const worker = new Worker(options.entryUrl ?? new URL(BOOTSTRAP_FILE, import.meta.url));
    const slot: Slot = { worker, ready: false, current: null, startTimer: null, lastError: null };
    slots.add(slot);
    updateRefs();
    slot.startTimer = setTimeout(() => void worker.terminate(), startTimeoutMs);
    slot.startTimer.unref();

    worker.on("message", (reply: WorkerReply) => {
      if (reply.type === "ready") {
        slot.ready = true;
        if (slot.startTimer) clearTimeout(slot.startTimer);
        dispatch();
        return;
      }
      const current = slot.current;
      if (!current || current.id !== reply.id) return;
      slot.current = null;
      const outputs = reply.result.outputs.map((o) => ({
        name: o.name,
        contentType: o.contentType,
        content: Buffer.from(o.content.buffer, o.content.byteOffset, o.content.byteLength),
      }));
      current.resolve({ ...reply.result, outputs });
      dispatch();
    });
    // An uncaught error ends the worker; 'exit' follows and does the bookkeeping.
    worker.on("error", (error) => {
      slot.lastError = error.message;
    });
    worker.on("exit", (code) => {
      if (slot.startTimer) clearTimeout(slot.startTimer);
      slots.delete(slot);
      const current = slot.current;
      slot.current = null;
      if (closed) {
        current?.reject(new Error("Profile pool closed"));
        return;
      }
      if (slot.ready) {
        // A crash mid-instance fails that instance, like a program killed on a real radiator.
        current?.resolve({
          outputs: [],
          stdout: [],
          stderr: [`hearth-run: the ${current.job.profileName} program crashed (worker exit code ${code}${slot.lastError ? `: ${slot.lastError}` : ""})`],
          exitCode: 1,
        });
        trySpawn();
      }
      // A worker that never started (no tsx, a broken entry, a timeout) is not replaced: when none
      // is left, threads are not to be had here.
      if (slots.size === 0) fallBackToInProcess();
      else dispatch();
    });
  };

  const trySpawn = () => {
    try {
      spawn();
    } catch {
      // The Worker constructor itself can throw (e.g. an unreadable entry); the caller falls back.
    }
  };

  if (mode === "threads") {
    for (let i = 0; i < size; i++) trySpawn();
    if (slots.size === 0) mode = "in-process";
  }

  return {
    get mode() {
      return mode;
    },
    size,
    run(job) {
      if (closed) return Promise.reject(new Error("Profile pool closed"));
      return new Promise<InstanceRun>((resolve, reject) => {
        const pending = { job, resolve, reject };
        if (mode === "in-process") {
          runInProcess(pending);
        } else {
          queue.push(pending);
          dispatch();
        }
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error("Profile pool closed"));
      await Promise.all([...slots].map((slot) => slot.worker.terminate()));
      await inProcessTail.catch(() => {});
    },
  };
}

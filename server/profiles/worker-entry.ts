import { parentPort } from "node:worker_threads";
import { runInstance } from "./run";
import type { WorkerReply, WorkerRequest } from "./worker";

/** Runs in a worker thread of the profile pool: one instance per message, in order. */

if (!parentPort) throw new Error("worker-entry.ts runs only as a worker thread of the profile pool");
const port = parentPort;

port.on("message", (request: WorkerRequest) => {
  const result = runInstance(request.profileName, request.constants, request.instanceNumber);
  // Each output moves to the parent without a copy, but from a buffer of its own: small Buffers
  // share Node's allocation pool, and transferring that would detach it under other Buffers.
  const outputs = result.outputs.map((o) => ({ name: o.name, contentType: o.contentType, content: new Uint8Array(o.content) }));
  const reply: WorkerReply = { type: "done", id: request.id, result: { ...result, outputs } };
  port.postMessage(reply, outputs.map((o) => o.content.buffer));
});

port.postMessage({ type: "ready" } satisfies WorkerReply);

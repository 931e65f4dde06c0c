import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import type { Tx } from "@/server/db/client";
import { archiveEntryName, priceSummaryCsv } from "@/server/domain/task-archive";
import { contactSheet, getOutput, listOutputs, taskResult } from "./task-outputs";

/** Already compressed: stored as is rather than deflated again. */
const STORED_TYPES = new Set(["image/png", "image/jpeg", "image/webp", "application/zip", "application/gzip"]);

type Entry = { name: string; contentType: string; read: () => Promise<Uint8Array | null> };

/**
 * All the outputs of the caller's task in one zip, with the consolidated result under `result/`.
 * Null for no such task (another organization's included). The stream reads one file from the
 * database each time its reader asks for more, so that a large task never sits in memory whole.
 */
export async function taskArchive(db: Tx, opts: { organizationId: string; taskId: string }): Promise<ReadableStream<Uint8Array> | null> {
  const outputs = await listOutputs(db, opts);
  if (outputs === null) return null;
  const result = await taskResult(db, opts);
  const utf8 = (text: string) => async () => new TextEncoder().encode(text);

  const entries: Entry[] = [];
  if (result?.kind === "monte-carlo") {
    const { kind, ...summary } = result;
    entries.push({ name: "result/price-summary.json", contentType: "application/json", read: utf8(`${JSON.stringify(summary, null, 2)}\n`) });
    entries.push({ name: "result/price-summary.csv", contentType: "text/csv", read: utf8(priceSummaryCsv(summary)) });
  } else if (result?.kind === "render") {
    entries.push({ name: `result/${result.contactSheet.name}`, contentType: "image/png", read: () => contactSheet(db, opts) });
  }
  for (const o of outputs) {
    entries.push({
      name: archiveEntryName(o.instanceNumber, o.name),
      contentType: o.contentType,
      read: async () => (await getOutput(db, { ...opts, outputId: o.id }))?.content ?? null,
    });
  }

  let next = 0;
  const names = new Set<string>();
  let zip: Zip;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        zip = new Zip((error, chunk, final) => {
          if (error) return controller.error(error);
          if (chunk.length > 0) controller.enqueue(chunk);
          if (final) controller.close();
        });
      },
      async pull() {
        // Each pull adds one file (its bytes reach the stream at once), or ends the archive.
        for (;;) {
          const entry = entries[next++];
          if (!entry) return zip.end();
          const bytes = await entry.read();
          // A file gone since the listing (a rerun replaced it) is left out rather than failing the whole archive.
          if (bytes) return add(entry, bytes);
        }
      },
      cancel() {
        zip.terminate();
      },
    },
    // One file at a time: the next is read once the reader has taken this one.
    { highWaterMark: 0 },
  );

  function add(entry: Entry, bytes: Uint8Array) {
    let name = entry.name;
    for (let i = 2; names.has(name); i++) name = `${entry.name} (${i})`;
    names.add(name);
    const file = STORED_TYPES.has(entry.contentType.split(";", 1)[0]!.trim().toLowerCase())
      ? new ZipPassThrough(name)
      : new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(bytes, true);
  }
}

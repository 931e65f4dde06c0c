import { formatDateTime, formatInteger } from "@/components/format";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatBytes, formatPrice } from "./format";
import type { OutputPage, TaskDetail, TaskResult } from "./types";

export const OUTPUTS_PAGE_SIZE = 50;

/** A task's consolidated result (an option price, a contact sheet) and its instances' output files, a page at a time. */
export function TaskResults({
  task,
  result,
  outputs,
  page,
  pageHref,
  timeZone,
}: {
  task: TaskDetail;
  result: TaskResult;
  outputs: OutputPage;
  page: number;
  pageHref: (page: number) => string;
  timeZone: string;
}) {
  const pages = Math.max(1, Math.ceil(outputs.total / OUTPUTS_PAGE_SIZE));
  // Each Monte-Carlo instance writes "result.json": saved files then carry the instance number.
  const fileName = (o: OutputPage["outputs"][number]) => (o.nameShared ? `instance-${o.instanceNumber}-${o.name}` : o.name);
  return (
    <Card className="mt-6 scroll-mt-4" id="outputs">
      <CardHeader title="Results" description="Each succeeded instance's outputs, and the task's consolidated result." />
      <CardContent className="flex flex-col gap-4">
        {result?.kind === "monte-carlo" && (
          <div className="rounded-md border border-stone-200 p-4" data-testid="task-result">
            <p className="text-sm text-stone-600">Option price</p>
            <p className="text-3xl font-semibold tabular-nums">{formatPrice(result.price)}</p>
            <p className="text-sm text-stone-800">
              95 % confidence interval {formatPrice(result.ci95Low)} – {formatPrice(result.ci95High)} · standard error{" "}
              {formatPrice(result.standardError)} · {formatInteger(result.paths)} paths from {formatInteger(result.instances)}{" "}
              {result.instances === 1 ? "instance" : "instances"}
            </p>
          </div>
        )}
        {result?.kind === "render" && (
          <figure className="flex flex-col gap-2" data-testid="task-result">
            {/* A generated image of unknown size, served by our own route: next/image adds nothing here. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={`/compute/tasks/${task.id}/contact-sheet.png?frames=${result.frames}`}
              alt={`Contact sheet of the ${result.frames} rendered frames`}
              className="h-auto max-w-full rounded border border-stone-200"
            />
            <figcaption className="flex flex-wrap items-center gap-3 text-sm">
              Contact sheet of {formatInteger(result.frames)} frames ({formatBytes(result.contactSheet.sizeBytes)})
              <a href={`/compute/tasks/${task.id}/contact-sheet.png?download=1`} download className={buttonClasses("secondary", "sm")}>
                Download contact sheet
              </a>
            </figcaption>
          </figure>
        )}
        {(!result || result.kind === "none") && (
          <p className="text-sm text-stone-600">
            {task.counts.succeeded === 0 ? "No instance has succeeded yet: results appear here as they do." : "This profile has no consolidated result: download the outputs below."}
          </p>
        )}
        {outputs.total > 0 ? (
          <>
            <p className="flex flex-wrap items-center gap-3 text-sm text-stone-600">
              <a href={`/compute/tasks/${task.id}/outputs.zip`} download className={buttonClasses("secondary", "sm")}>
                Download all (zip)
              </a>
              Every output file by instance, with the consolidated result.
            </p>
            <Table caption="Outputs">
              <THead>
                <tr>
                  <Th>File</Th>
                  <Th numeric>Instance</Th>
                  <Th numeric>Size</Th>
                  <Th>Created</Th>
                </tr>
              </THead>
              <TBody>
                {outputs.outputs.map((o) => (
                  <Tr key={o.id}>
                    <Td className="relative">
                      <a href={`/compute/tasks/${task.id}/outputs/${o.id}`} download={fileName(o)} className="font-mono text-brand-700 underline">
                        {o.name}
                      </a>
                      <span className="sr-only"> of instance {o.instanceNumber}</span>
                    </Td>
                    <Td numeric>{o.instanceNumber}</Td>
                    <Td numeric>{formatBytes(o.sizeBytes)}</Td>
                    <Td className="whitespace-nowrap">{formatDateTime(o.createdAt, timeZone)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            {pages > 1 && <Pager label="Pages of outputs" page={page} pages={pages} href={pageHref} scroll={false} />}
          </>
        ) : (
          <p className="text-sm text-stone-600">No output files yet.</p>
        )}
      </CardContent>
    </Card>
  );
}

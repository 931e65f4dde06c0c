import type { InstanceView } from "./types";

/** "16 cores at 3.4 GHz": the node's cores and base clock. */
export function describeCores(hardware: NonNullable<InstanceView["hardware"]>): string {
  const cores = `${hardware.cores} ${hardware.cores === 1 ? "core" : "cores"}`;
  return hardware.cpuClockMhz === null ? cores : `${cores} at ${(hardware.cpuClockMhz / 1000).toLocaleString("en", { maximumFractionDigits: 2 })} GHz`;
}

/**
 * The processor an instance ran on (its latest attempt's), as the hardware model has it: the
 * same for every node of a model, so it never tells which home ran the work. A term and its
 * description, for the instance's details list.
 */
export function InstanceHardware({ hardware }: { hardware: InstanceView["hardware"] }) {
  return (
    <>
      <dt className="text-stone-600">Processor</dt>
      <dd className="sm:col-span-3">{hardware ? `${hardware.cpuModel ?? "Unknown model"} · ${describeCores(hardware)}` : "—"}</dd>
    </>
  );
}

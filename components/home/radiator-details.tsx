import { Dialog } from "@/components/ui/dialog";
import { formatDateTime, formatInteger, formatPowerW } from "@/components/format";

type Radiator = { serial: string; model: string; maxPowerW: number; cores: number; lastSeenAt: Date | null };

export function RadiatorDetails({ radiator }: { radiator: Radiator }) {
  return (
    <Dialog trigger={<>Details<span className="sr-only"> of radiator {radiator.serial}</span></>} title={`Radiator ${radiator.serial}`}>
      <dl className="grid grid-cols-2 gap-2 text-sm">
        <dt className="text-stone-600">Model</dt>
        <dd>{radiator.model}</dd>
        <dt className="text-stone-600">Maximum heat</dt>
        <dd>{formatPowerW(radiator.maxPowerW)}</dd>
        <dt className="text-stone-600">Processor cores</dt>
        <dd>{formatInteger(radiator.cores)}</dd>
        <dt className="text-stone-600">Last contact</dt>
        <dd>{radiator.lastSeenAt ? formatDateTime(radiator.lastSeenAt) : "Not connected yet"}</dd>
      </dl>
    </Dialog>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CURRENT_METHODOLOGY } from "@/server/domain/carbon";
import type { CarbonLabel as Label } from "@/server/services/carbon";

const number = (digits: number) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits });
const grams = (g: number) => `${number(2).format(g)} g`;
const wh = (x: number) => `${number(2).format(x)} Wh`;

function Row({ label, value, strong, indent }: { label: ReactNode; value: ReactNode; strong?: boolean; indent?: boolean }) {
  return (
    <div className={`flex items-baseline justify-between gap-4 border-t border-stone-300 py-1 ${indent ? "pl-4 text-sm" : ""}`}>
      <dt className={strong ? "font-semibold text-stone-900" : "text-stone-700"}>{label}</dt>
      <dd className={`shrink-0 whitespace-nowrap text-right tabular-nums ${strong ? "font-semibold text-stone-900" : "text-stone-900"}`}>{value}</dd>
    </div>
  );
}

/**
 * A Carbon Facts label, like a nutrition-facts panel: what the work consumed and emitted, and,
 * apart, what it avoided, with the methodology version, the comparison and the grid data cited.
 * The figures are those GET /carbon/v1/…/carbon-facts answers, rounded the same way.
 */
export function CarbonLabel({ label, formAction, anchor = "carbon" }: { label: Label; formAction: string; anchor?: string }) {
  const f = label.figures;
  const { grid } = label;
  const version = label.methodologyVersion;
  return (
    <Card className="mt-6 scroll-mt-4" id={anchor} aria-labelledby={`${anchor}-title`}>
      <div className="p-4">
        <div className="mx-auto max-w-xl border-2 border-stone-900 p-3">
          <h2 id={`${anchor}-title`} className="border-b-8 border-stone-900 pb-1 text-2xl font-extrabold tracking-tight text-stone-900">
            Carbon Facts
          </h2>
          <p className="py-1 text-sm text-stone-700">
            So far, by methodology <span className="font-mono">{version}</span>, compared with the{" "}
            {label.datacenter.label.toLowerCase()} (PUE {label.datacenter.pue.value}).
          </p>

          <dl className="border-t-4 border-stone-900">
            <Row label="Energy consumed" value={wh(f.consumedEnergyWh)} strong />
            <Row indent label="IT energy, radiators' meters" value={wh(f.itEnergyWh)} />
            <Row indent label="Gateways' share" value={wh(f.overheadEnergyWh)} />
            <Row indent label="Reused as heat a room asked for" value={wh(f.reusedEnergyWh)} />
          </dl>

          <dl className="mt-1 border-t-8 border-stone-900">
            <Row label="Carbon footprint" value={`${grams(f.footprintG)}CO2e`} strong />
            <Row indent label={`Electricity, at ${number(1).format(f.meanGridGPerKWh)} g/kWh`} value={grams(f.operationalG)} />
            <Row indent label="Hardware manufacture, its share" value={grams(f.embodiedG)} />
            <Row indent label="Per instance-hour (SCI)" value={`${grams(f.sciGPerInstanceHour)} / ${number(3).format(f.instanceHours)} h`} />
          </dl>

          <dl className="mt-1 border-t-8 border-stone-900">
            <Row label="Avoided, reported apart" value={`${grams(f.savedTotalG)}CO2e`} strong />
            <Row indent label={`Compute, against the ${label.datacenter.label.toLowerCase()}`} value={grams(f.savedComputeG)} />
            <Row indent label="Heating it replaced in the rooms" value={grams(f.savedHeatG)} />
            <Row indent label="Saved, of datacenter plus heating" value={`${number(1).format(f.savedPercent)} %`} />
            <Row indent label="Datacenter plus heating" value={grams(f.equivalentG)} />
          </dl>

          <dl className="mt-1 grid grid-cols-2 gap-x-4 border-t-4 border-stone-900 sm:grid-cols-4">
            {(
              [
                ["PUE", f.pue],
                ["ERE", f.ere],
                ["ERF", f.erf],
                ["WUE", `${f.wue} L/kWh`],
              ] as const
            ).map(([name, value]) => (
              <div key={name} className="flex justify-between gap-2 py-1 text-sm">
                <dt className="font-semibold">{name}</dt>
                <dd className="whitespace-nowrap tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>

          <div className="border-t-4 border-stone-900 pt-2 text-xs text-stone-700">
            <p>
              Grid intensity: {grid.hoursHourly} h from hourly series
              {grid.imports.length > 0 && <> ({grid.imports.map((i) => `${i.source}, ${i.fileName}`).join("; ")})</>}, {grid.hoursAnnual} h from the
              annual factor
              {grid.annual.length > 0 && <> ({grid.annual.map((a) => `${a.country} ${a.gPerKWh} g/kWh, ${a.source}`).join("; ")})</>}
              {grid.hoursUnknown > 0 && <>, {grid.hoursUnknown} h with no known intensity (counted as 0)</>}.
            </p>
            <p className="mt-1">
              The footprint is never lowered by what was avoided.{" "}
              <Link href={`/compute/carbon/methodology#${version}`} className="font-medium text-brand-800 underline">
                How these figures are computed
              </Link>
            </p>
          </div>
        </div>

        <form action={`${formAction}#${anchor}`} className="mx-auto mt-3 flex max-w-xl flex-wrap items-end gap-2">
          <label className="text-sm text-stone-700">
            <span className="block">Compare with</span>
            <select name="dc" defaultValue={label.datacenter.name} className="mt-1 rounded-md border border-stone-400 bg-white px-2 py-1 text-sm">
              {CURRENT_METHODOLOGY.datacenters.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.label} (PUE {d.pue.value})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={buttonClasses("secondary", "sm")}>
            Compare
          </button>
        </form>
      </div>
    </Card>
  );
}

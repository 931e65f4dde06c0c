import type { Metadata } from "next";
import { PageTitle } from "@/components/layout/app-shell";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { METHODOLOGIES, type Factor } from "@/server/domain/carbon";
import { serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Carbon methodology" };

const FORMULAS: Array<[string, string]> = [
  ["IT energy (Wh)", "E_IT = Σ ledger energy of the work's attempts: each radiator meter's delta shared between the attempts it ran, by core-seconds"],
  ["Wanted heat (Wh)", "E_wanted = Σ over meter readings of E_IT × min(1, cores the thermostat wanted ÷ cores running at that reading); at an all-year site (a pool, a boiler) all of E_IT"],
  ["Gateways' share (Wh)", "E_gw = Σ over the gateway's reports of its meter's delta × the work's share of the energy its radiators metered in that report"],
  ["Consumed energy (Wh)", "E = E_IT + E_gw"],
  ["Grid intensity (g/kWh)", "I = the country's hourly series for the hour the energy was metered in; the annual factor in force where the series has no value (the label counts those hours)"],
  ["Embodied emissions (g)", "M = Σ core-seconds ÷ the radiator's cores × radiator footprint ÷ radiator life"],
  ["Footprint (gCO2e)", "F = Σ E × I + M   (qarnot_carbon_footprint)"],
  ["Datacenter compute (g)", "D = Σ E_IT × PUE_datacenter × I + M: the same work, the same hardware and grid, in the comparison datacenter"],
  ["Heating replaced (g)", "H = E_wanted × the replaced heating's factor (electric heating in homes, natural gas at all-year sites)"],
  ["Equivalent (g)", "D + H   (equivalent_DC_carbon_footprint): the datacenter's work plus the rooms heated otherwise"],
  ["Saved (g)", "compute D − F, heat H, total D + H − F; percent = total ÷ (D + H). Reported beside F, never subtracted from it"],
  ["Ratios", "PUE = E ÷ E_IT; ERF = E_wanted ÷ E; ERE = (E − E_wanted) ÷ E_IT; WUE = site water (L) ÷ IT kWh"],
  ["SCI (g per instance-hour)", "(E × I + M) ÷ R with R the instance-hours: Σ core-seconds ÷ the cores each attempt had ÷ 3,600"],
  ["Rounding", "energy to the Wh, emissions to 0.01 g, ratios to 0.001, percent to 0.1, once, at the end; the label and the API round the same figures"],
];

/** The formulas an earlier version wrote differently, by term. */
const EARLIER_FORMULAS: Record<string, Record<string, string>> = {
  "hearth-carbon-1": {
    "Wanted heat (Wh)": "E_wanted = Σ over radiator-hours of E_IT × min(1, cores the thermostat wanted ÷ cores running); at an all-year site (a pool, a boiler) all of E_IT",
    "Gateways' share (Wh)": "E_gw = Σ over gateway-hours of the gateway's metered energy × the work's share of that gateway's radiators' energy in the hour",
  },
};

/** One factor: its name and value, then where it comes from; a list rather than a table, so that a phone shows the sources whole. */
function FactorItem({ name, factor }: { name: string; factor: Factor }) {
  return (
    <li className="py-3">
      <p className="flex flex-wrap justify-between gap-x-4 font-medium text-stone-900">
        <span>{name}</span>
        <span className="tabular-nums">
          {factor.value} {factor.unit}
        </span>
      </p>
      <p className="text-sm text-stone-700">
        {factor.source} ({factor.date})
      </p>
    </li>
  );
}

/** The published methodologies, newest first: formulas, factors with sources, comparison datacenters, changes. */
export default async function CarbonMethodologyPage() {
  const api = await serverApi("customer", "/compute/carbon/methodology");
  const annual = await api.carbon.annualGridIntensities();
  const versions = Object.values(METHODOLOGIES).sort((a, b) => b.publishedOn.localeCompare(a.publishedOn) || b.version.localeCompare(a.version));
  return (
    <>
      <PageTitle
        title="Carbon methodology"
        subtitle="How every Carbon Facts label and GET /carbon/v1/…/carbon-facts answer is computed. A published version never changes; a label names the version that made it."
      />
      {versions.map((m) => (
        <section key={m.version} id={m.version} className="scroll-mt-4">
          <h2 className="mb-3 text-lg font-semibold text-stone-900">
            Version <span className="font-mono">{m.version}</span>, published {m.publishedOn}
          </h2>
          <Card>
            <CardHeader title="Formulas" description="From the metering ledger (what the radiators' own meters counted) to the label, hour by hour." />
            <CardContent>
              <dl className="space-y-2 text-sm">
                {FORMULAS.map(([term, formula]) => (
                  <div key={term} className="sm:grid sm:grid-cols-4 sm:gap-4">
                    <dt className="font-medium text-stone-900">{term}</dt>
                    <dd className="font-mono text-stone-800 sm:col-span-3">{EARLIER_FORMULAS[m.version]?.[term] ?? formula}</dd>
                  </div>
                ))}
              </dl>
            </CardContent>
          </Card>
          <Card className="mt-6">
            <CardHeader title="Factors" description="Each with its source and date." />
            <CardContent>
              <ul aria-label={`Factors of ${m.version}`} className="divide-y divide-stone-200">
                <FactorItem name="Heating replaced in homes" factor={m.replacedHeatGPerKWh.housing} />
                <FactorItem name="Heating replaced at all-year sites" factor={m.replacedHeatGPerKWh.all_year_heat_sink} />
                <FactorItem name="Radiator manufacture" factor={m.radiatorEmbodiedKg} />
                <FactorItem name="Radiator life" factor={m.radiatorLifeYears} />
                <FactorItem name="Site water use (WUE)" factor={m.siteWueLPerKWh} />
                {m.datacenters.map((d) => (
                  <FactorItem key={d.name} name={`${d.label} (${d.name}${d.name === m.defaultDatacenter ? ", the default" : ""}), PUE`} factor={d.pue} />
                ))}
              </ul>
            </CardContent>
          </Card>
          <Card className="mt-6">
            <CardHeader title="What changed" />
            <CardContent>
              <ul className="list-disc pl-5 text-sm">
                {m.changes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </CardContent>
          </Card>
        </section>
      ))}
      <Card className="mt-6" id="grid">
        <CardHeader
          title="Grid carbon intensity"
          description="Annual factors by country, used for the hours no hourly series covers. The operator loads hourly series from the grid operator's exports; a label names the series and factors it used."
        />
        <CardContent>
          <ul aria-label="Annual grid carbon intensity" className="divide-y divide-stone-200">
            {annual.map((a) => (
              <FactorItem key={a.id} name={`${a.country}, in force from`} factor={{ value: a.gPerKWh, unit: "gCO2e/kWh", source: a.source, date: a.effectiveFrom }} />
            ))}
          </ul>
        </CardContent>
      </Card>
    </>
  );
}

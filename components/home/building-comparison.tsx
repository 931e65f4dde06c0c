import { getFormatter, getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import type { BuildingComparison as Comparison } from "@/server/services/comparison";

/** This month so far, the home beside its building's average: never a neighbour's own figure. */
export async function BuildingComparison({ comparison }: { comparison: Comparison }) {
  const [t, units, format] = await Promise.all([getTranslations("home.comparison"), getTranslations("common.units"), getFormatter()]);
  const { home, building } = comparison;
  const temp = (c: number | null) => (c === null ? t("none") : units("tempC", { value: c }));
  const energy = (whPerM2: number | null) => (whPerM2 === null ? t("none") : units("kwhPerM2", { value: whPerM2 / 1000 }));
  return (
    <Card className="mt-6" aria-labelledby="building-comparison">
      <CardHeader
        title={<span id="building-comparison">{t("title")}</span>}
        description={t("description", { month: format.dateTime(comparison.from, { month: "long", year: "numeric", timeZone: comparison.timeZone }) })}
      />
      <CardContent>
        <table className="w-full text-sm">
          <caption className="sr-only">{t("title")}</caption>
          <thead>
            <tr className="text-left text-stone-600">
              <th scope="col" className="py-1 font-medium">
                <span className="sr-only">{t("figure")}</span>
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("home")}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("building")}
              </th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            <tr className="border-t border-stone-200">
              <th scope="row" className="py-2 text-left font-normal text-stone-700">
                {t("roomTemp")}
              </th>
              <td className="py-2 text-right font-semibold">{temp(home.roomTempC)}</td>
              <td className="py-2 text-right">{temp(building.roomTempC)}</td>
            </tr>
            <tr className="border-t border-stone-200">
              <th scope="row" className="py-2 text-left font-normal text-stone-700">
                {t("energy")}
              </th>
              <td className="py-2 text-right font-semibold">{energy(home.energyWhPerM2)}</td>
              <td className="py-2 text-right">{energy(building.energyWhPerM2)}</td>
            </tr>
          </tbody>
        </table>
        <p className="mt-3 text-sm text-stone-600">
          {building.hiddenReason === "too-few-dwellings"
            ? t("tooFew", { count: comparison.contributingDwellings, minimum: comparison.minimumDwellings })
            : t("over", { count: comparison.contributingDwellings })}
        </p>
      </CardContent>
    </Card>
  );
}

import { getFormatter, getTranslations } from "next-intl/server";
import { Dialog } from "@/components/ui/dialog";

type Radiator = { serial: string; model: string; maxPowerW: number; cores: number; lastSeenAt: Date | null };

export async function RadiatorDetails({ radiator }: { radiator: Radiator }) {
  const [t, common, units, format] = await Promise.all([
    getTranslations("home.radiator"),
    getTranslations("common"),
    getTranslations("common.units"),
    getFormatter(),
  ]);
  return (
    <Dialog
      trigger={
        <>
          {common("details")}
          <span className="sr-only"> {t("ofSerial", { serial: radiator.serial })}</span>
        </>
      }
      title={t("title", { serial: radiator.serial })}
      closeLabel={common("close")}
    >
      <dl className="grid grid-cols-2 gap-2 text-sm">
        <dt className="text-stone-600">{t("model")}</dt>
        <dd>{radiator.model}</dd>
        <dt className="text-stone-600">{t("maxHeat")}</dt>
        <dd>{units("watts", { value: radiator.maxPowerW })}</dd>
        <dt className="text-stone-600">{t("cores")}</dt>
        <dd>{format.number(radiator.cores)}</dd>
        <dt className="text-stone-600">{t("lastContact")}</dt>
        <dd>{radiator.lastSeenAt ? format.dateTime(radiator.lastSeenAt, { dateStyle: "medium", timeStyle: "short" }) : t("notConnected")}</dd>
      </dl>
    </Dialog>
  );
}

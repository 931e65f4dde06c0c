import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { ElsewhereNotice } from "@/components/layout/elsewhere-notice";
import { BuildingComparison } from "@/components/home/building-comparison";
import { EnrolmentCard } from "@/components/home/enrolment-card";
import { HomeRooms } from "@/components/home/home-rooms";
import { RadiatorDetails } from "@/components/home/radiator-details";
import { serverApi } from "@/server/api/request-context";
import { localDay } from "@/server/domain/history-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("home");
  return { title: t("audience") };
}

export default async function HomePage({ searchParams }: { searchParams: Promise<{ elsewhere?: string | string[] }> }) {
  const api = await serverApi("resident", "/home");
  const [{ home, rooms }, heating, enrolment, t, units] = await Promise.all([
    api.home.overview(),
    api.heating.home(),
    api.enrolment.mine(),
    getTranslations("home"),
    getTranslations("common.units"),
  ]);
  const radiatorCount = rooms.reduce((n, r) => n + r.radiators.length, 0);
  // This month so far, in the site's calendar.
  const comparison = heating.timeZone ? await api.home.comparison({ month: localDay(new Date(), heating.timeZone).slice(0, 7) }) : null;
  const { elsewhere } = await searchParams;
  // The radiators of each room, rendered here and shown in its live card.
  const extras = Object.fromEntries(
    rooms.map((room) => [
      room.id,
      <ul key={room.id} className="flex flex-col gap-2 border-t border-stone-200 pt-3">
        {room.radiators.map((r) => (
          <li key={r.id} className="flex items-center justify-between gap-2 text-sm">
            <span>
              {r.model}
              <span className="block text-stone-600">{t("upToPower", { power: units("watts", { value: r.maxPowerW }) })}</span>
            </span>
            <RadiatorDetails radiator={r} />
          </li>
        ))}
      </ul>,
    ]),
  );
  return (
    <>
      <ElsewhereNotice param={elsewhere} locale={await getLocale()} />
      <PageTitle
        title={t("flatTitle", { label: home.dwellingLabel })}
        subtitle={t("flatSubtitle", { building: home.buildingName, address: home.address, rooms: rooms.length, radiators: radiatorCount })}
      />
      <EnrolmentCard enrolment={enrolment} />
      <HomeRooms initial={heating} extras={extras} />
      {comparison && <BuildingComparison comparison={comparison} />}
    </>
  );
}

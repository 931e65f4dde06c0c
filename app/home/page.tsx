import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { ElsewhereNotice } from "@/components/layout/elsewhere-notice";
import { RoomHistoryLinks } from "@/components/home/room-history-links";
import { RadiatorDetails } from "@/components/home/radiator-details";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { serverApi } from "@/server/api/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("home");
  return { title: t("audience") };
}

export default async function HomePage({ searchParams }: { searchParams: Promise<{ elsewhere?: string | string[] }> }) {
  const api = await serverApi("resident", "/home");
  const [{ home, rooms }, t, units] = await Promise.all([api.home.overview(), getTranslations("home"), getTranslations("common.units")]);
  const radiatorCount = rooms.reduce((n, r) => n + r.radiators.length, 0);
  const { elsewhere } = await searchParams;
  return (
    <>
      <ElsewhereNotice param={elsewhere} locale={await getLocale()} />
      <PageTitle
        title={t("flatTitle", { label: home.dwellingLabel })}
        subtitle={t("flatSubtitle", { building: home.buildingName, address: home.address, rooms: rooms.length, radiators: radiatorCount })}
      />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {rooms.map((room) => (
          <li key={room.id}>
            <Card className="h-full">
              <CardHeader title={room.name} description={units("m2", { value: room.areaM2 })} />
              <CardContent>
                <ul className="flex flex-col gap-2">
                  {room.radiators.map((r) => (
                    <li key={r.id} className="flex items-center justify-between gap-2 text-sm">
                      <span>
                        {r.model}
                        <span className="block text-stone-600">{t("upToPower", { power: units("watts", { value: r.maxPowerW }) })}</span>
                      </span>
                      <RadiatorDetails radiator={r} />
                    </li>
                  ))}
                </ul>
              </CardContent>
            </Card>
          </li>
        ))}
      </ul>
      <RoomHistoryLinks rooms={rooms} />
    </>
  );
}

import type { Metadata } from "next";
import { PageTitle } from "@/components/layout/app-shell";
import { ElsewhereNotice } from "@/components/layout/elsewhere-notice";
import { RadiatorDetails } from "@/components/home/radiator-details";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { countOf, formatOneDecimal, formatPowerW } from "@/components/format";
import { serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "My home" };

export default async function HomePage({ searchParams }: { searchParams: Promise<{ elsewhere?: string | string[] }> }) {
  const api = await serverApi("resident", "/home");
  const { home, rooms } = await api.home.overview();
  const radiatorCount = rooms.reduce((n, r) => n + r.radiators.length, 0);
  const { elsewhere } = await searchParams;
  return (
    <>
      <ElsewhereNotice param={elsewhere} />
      <PageTitle
        title={`Flat ${home.dwellingLabel}`}
        subtitle={`${home.buildingName}, ${home.address} · ${countOf(rooms.length, "room")}, ${countOf(radiatorCount, "radiator")}`}
      />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {rooms.map((room) => (
          <li key={room.id}>
            <Card className="h-full">
              <CardHeader title={room.name} description={`${formatOneDecimal(room.areaM2)} m²`} />
              <CardContent>
                <ul className="flex flex-col gap-2">
                  {room.radiators.map((r) => (
                    <li key={r.id} className="flex items-center justify-between gap-2 text-sm">
                      <span>
                        {r.model}
                        <span className="block text-stone-600">up to {formatPowerW(r.maxPowerW)}</span>
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
    </>
  );
}

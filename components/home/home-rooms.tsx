"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useTRPC } from "@/components/trpc/client";
import type { heatingHome } from "@/server/services/heating";
import { HEATING_REFRESH_MS } from "./heating-client";
import { RoomCard } from "./room-card";

type Home = Awaited<ReturnType<typeof heatingHome>>;

/**
 * Every room of the flat, read again every few seconds while the page is open (and at once
 * after any change made here). `extras` are server-rendered parts per room id (radiator details).
 */
export function HomeRooms({ initial, extras }: { initial: Home; extras: Record<string, ReactNode> }) {
  const t = useTranslations("heating.card");
  const trpc = useTRPC();
  const home = useQuery(
    trpc.heating.home.queryOptions(undefined, { initialData: initial, refetchInterval: HEATING_REFRESH_MS, retry: false }),
  );
  const rooms = home.data.rooms;
  return (
    <>
      {home.isError && (
        <p role="status" className="mb-4 text-sm text-amber-900">
          {t("loadFailed")}
        </p>
      )}
      {rooms.length === 0 ? (
        <p>{t("noRooms")}</p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {rooms.map((room) => (
            <li key={room.id}>
              <RoomCard room={room} extra={extras[room.id]} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

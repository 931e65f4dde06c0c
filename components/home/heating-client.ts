"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback } from "react";
import { useTRPC } from "@/components/trpc/client";
import type { HeatingRoomView } from "@/server/services/heating";
import { refusalMessage } from "./refusals";

/** How often the rooms are read again while the page is open: the gateways report every minute. */
export const HEATING_REFRESH_MS = 4000;

/** Temperatures, watts and times as the residents' pages show them; times on the site's clock. */
export function useHeatingFormat(timeZone: string | null) {
  const units = useTranslations("common.units");
  const format = useFormatter();
  const zone = timeZone ?? undefined;
  return {
    temp: (valueC: number) => units("tempC", { value: valueC }),
    watts: (valueW: number) => units("watts", { value: valueW }),
    time: (at: Date | number) => format.dateTime(at, { hour: "2-digit", minute: "2-digit", timeZone: zone }),
    dateTime: (at: Date | number) => format.dateTime(at, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: zone }),
  };
}

/** "07:30" for a minute of the day; 1440 is "24:00", the end of the day. */
export const minuteLabel = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

export const DAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** A refused field's message in the page's language (see refusals.ts). */
export function useFieldMessage() {
  const t = useTranslations("heating.errors");
  return useCallback(
    (field: string, values: { ecoC?: number } = {}) => {
      const message = refusalMessage(field, values);
      return "values" in message ? t(message.key, message.values) : t(message.key);
    },
    [t],
  );
}

/**
 * The heating changes of one room. Each answers with the room as `heating.room` shows it; that
 * answer goes straight into the room's page and into the home's list, so both show it at once.
 * A card calls this once and hands the mutations to its parts.
 */
export function useRoomChanges() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = async (room: HeatingRoomView) => {
    // A read begun before the change would bring the old room back for a few seconds.
    await queryClient.cancelQueries({ queryKey: trpc.heating.home.queryKey() });
    queryClient.setQueryData(trpc.heating.room.queryKey({ roomId: room.id }), room);
    queryClient.setQueryData(trpc.heating.home.queryKey(), (home) =>
      home && { ...home, rooms: home.rooms.map((r) => (r.id === room.id ? { ...r, ...room } : r)) },
    );
  };
  return {
    setTarget: useMutation(trpc.heating.setTarget.mutationOptions({ onSuccess })),
    setOverride: useMutation(trpc.heating.setOverride.mutationOptions({ onSuccess })),
    cancelOverride: useMutation(trpc.heating.cancelOverride.mutationOptions({ onSuccess })),
    setMode: useMutation(trpc.heating.setMode.mutationOptions({ onSuccess })),
    boost: useMutation(trpc.heating.boost.mutationOptions({ onSuccess })),
    setTemperatures: useMutation(trpc.heating.setTemperatures.mutationOptions({ onSuccess })),
    setProgramme: useMutation(trpc.heating.setProgramme.mutationOptions({ onSuccess })),
  };
}
export type RoomChanges = ReturnType<typeof useRoomChanges>;

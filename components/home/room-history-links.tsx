import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { historyHref } from "./history-nav";

/** Each room's heating history, until the rooms' cards link to it themselves. */
export async function RoomHistoryLinks({ rooms }: { rooms: ReadonlyArray<{ id: string; name: string }> }) {
  const t = await getTranslations("history");
  return (
    <section aria-labelledby="room-histories" className="mt-6">
      <h2 id="room-histories" className="mb-2 text-base font-semibold text-stone-900">
        {t("roomsTitle")}
      </h2>
      <ul className="flex flex-col gap-1">
        {rooms.map((room) => (
          <li key={room.id}>
            <Link href={historyHref(room.id, "day")} className="inline-flex min-h-11 items-center text-brand-700 underline">
              {t("roomLink", { room: room.name })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

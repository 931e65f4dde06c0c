import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { RoomProgramme } from "@/components/home/room-programme";
import { orNotFound, serverApi } from "@/server/api/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("heating.programme");
  return { title: t("metaTitle") };
}

export default async function RoomProgrammePage({ params }: { params: Promise<{ roomId: string }> }) {
  const { roomId } = await params;
  const api = await serverApi("resident", `/home/rooms/${roomId}`);
  const [room, t] = await Promise.all([orNotFound(api.heating.room({ roomId })), getTranslations("heating.programme")]);
  return (
    <>
      <PageTitle back={{ href: "/home", label: t("back") }} title={t("title", { room: room.name })} />
      <RoomProgramme initial={room} />
    </>
  );
}

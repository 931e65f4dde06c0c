import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { EnrolmentForm } from "@/components/home/enrolment-form";
import { serverApi } from "@/server/api/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("enrolment");
  return { title: t("metaTitle") };
}

export default async function EnrolmentPage() {
  const api = await serverApi("resident", "/home/enrolment");
  const [enrolment, t] = await Promise.all([api.enrolment.mine(), getTranslations("enrolment")]);
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle back={{ href: "/home", label: t("back") }} title={t("title")} subtitle={t("subtitle")} />
      <EnrolmentForm initial={enrolment} />
    </div>
  );
}

import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import type { EnrolmentView } from "@/server/services/enrolment";

/** On the home page: whether the flat is enrolled for the electricity refund, and the way to enrol or change the details. */
export async function EnrolmentCard({ enrolment }: { enrolment: EnrolmentView }) {
  const [t, format] = await Promise.all([getTranslations("enrolment.card"), getFormatter()]);
  const since = enrolment.sinceMonth?.split("-").map(Number);
  const month = since && format.dateTime(new Date(Date.UTC(since[0]!, since[1]! - 1, 1)), { month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <Card aria-labelledby="enrolment-card-title" className="mb-6">
      <CardContent className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="enrolment-card-title" className="text-base font-semibold text-stone-900">
            {t("title")}
          </h2>
          <p className="text-sm text-stone-700">
            {month && enrolment.current ? t("enrolled", { month, iban: enrolment.current.ibanMasked }) : t("notEnrolled")}
          </p>
        </div>
        <Link href="/home/enrolment" className={enrolment.enrolled ? buttonClasses("secondary") : buttonClasses("primary")}>
          {enrolment.enrolled ? t("manage") : t("enrol")}
        </Link>
      </CardContent>
    </Card>
  );
}

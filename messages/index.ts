import type { Locale } from "@/server/i18n/locales";
import enCommon from "./en/common.json";
import enEnrolment from "./en/enrolment.json";
import enHeating from "./en/heating.json";
import enHistory from "./en/history.json";
import enHome from "./en/home.json";
import enLandlord from "./en/landlord.json";
import enRefunds from "./en/refunds.json";
import frCommon from "./fr/common.json";
import frEnrolment from "./fr/enrolment.json";
import frHeating from "./fr/heating.json";
import frHistory from "./fr/history.json";
import frHome from "./fr/home.json";
import frLandlord from "./fr/landlord.json";
import frRefunds from "./fr/refunds.json";

/**
 * Every string of the residents' and landlords' pages, one file per area and language. The
 * English set is the reference type (a key used in code but missing from it fails typecheck);
 * server/i18n/messages.test.ts checks that French has the same keys and placeholders.
 */
const en = { common: enCommon, enrolment: enEnrolment, heating: enHeating, history: enHistory, home: enHome, landlord: enLandlord, refunds: enRefunds };
const fr: typeof en = { common: frCommon, enrolment: frEnrolment, heating: frHeating, history: frHistory, home: frHome, landlord: frLandlord, refunds: frRefunds };

export type Messages = typeof en;
export const MESSAGES: Readonly<Record<Locale, Messages>> = { en, fr };

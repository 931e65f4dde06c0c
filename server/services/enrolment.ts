import { asc, eq } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { buildings, dwellings, refundEnrolments, sites } from "@/server/db/schema";
import { localDay } from "@/server/domain/history-view";
import { checkEnrolment, maskIban } from "@/server/domain/iban";
import { ConflictError, found, InvalidInputError } from "./errors";
import { DataKeyError, seal } from "./secret-box";

/** One version of a dwelling's enrolment as residents may see it: the IBAN only masked. */
export type EnrolmentVersion = {
  id: number;
  holderName: string;
  deliveryPoint: string;
  ibanMasked: string;
  bic: string | null;
  consentAt: Date;
  createdAt: Date;
};

export type EnrolmentView = {
  enrolled: boolean;
  /** "2026-03": refunds start with this month (of the site's calendar), that of the first enrolment. */
  sinceMonth: string | null;
  timeZone: string;
  /** The details in force: the latest version. */
  current: EnrolmentVersion | null;
  /** Every version, newest first (the current one included). */
  history: EnrolmentVersion[];
};

/** A dwelling's enrolment for the electricity refund, with every change of its details. */
export async function enrolmentOf(db: Tx, opts: { dwellingId: string }): Promise<EnrolmentView> {
  const [dwelling] = await db
    .select({ timeZone: sites.timeZone })
    .from(dwellings)
    .innerJoin(buildings, eq(buildings.id, dwellings.buildingId))
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .where(eq(dwellings.id, opts.dwellingId));
  const { timeZone } = found(dwelling, "Home");
  // Never the sealed IBAN: what leaves this service is what may be shown.
  const versions: EnrolmentVersion[] = await db
    .select({
      id: refundEnrolments.id,
      holderName: refundEnrolments.holderName,
      deliveryPoint: refundEnrolments.deliveryPoint,
      ibanMasked: refundEnrolments.ibanMasked,
      bic: refundEnrolments.bic,
      consentAt: refundEnrolments.consentAt,
      createdAt: refundEnrolments.createdAt,
    })
    .from(refundEnrolments)
    .where(eq(refundEnrolments.dwellingId, opts.dwellingId))
    .orderBy(asc(refundEnrolments.createdAt), asc(refundEnrolments.id));
  const first = versions[0];
  const history = versions.reverse();
  return {
    enrolled: first !== undefined,
    sinceMonth: first ? localDay(first.consentAt, timeZone).slice(0, 7) : null,
    timeZone,
    current: history[0] ?? null,
    history,
  };
}

/**
 * Enrols the dwelling, or changes its details: always a new version, so the details in force at
 * any date stay known. Every field is checked before anything is written; the IBAN is stored only
 * sealed, beside its mask. Consent is given now, by the resident saving.
 */
export async function saveEnrolment(
  db: Tx,
  opts: {
    dwellingId: string;
    userId: string;
    holderName: string;
    deliveryPoint: string;
    iban: string;
    bic?: string | null;
    consent: boolean;
    now?: Date;
  },
): Promise<EnrolmentView> {
  const { details, refusals } = checkEnrolment(opts);
  if (refusals.length > 0) throw InvalidInputError.of(Object.fromEntries(refusals.map((r) => [r.field, r.message])));
  let ibanEncrypted: string;
  try {
    ibanEncrypted = seal(details.iban);
  } catch (error) {
    // The server's setup, not the resident's input: said plainly, without the key's details.
    if (error instanceof DataKeyError) {
      throw new ConflictError("Bank details cannot be saved on this server yet: it has no data key (HEARTH_DATA_KEY). Nothing was saved; the operator must set it.");
    }
    throw error;
  }
  const now = opts.now ?? new Date();
  await db.insert(refundEnrolments).values({
    dwellingId: opts.dwellingId,
    userId: opts.userId,
    holderName: details.holderName,
    deliveryPoint: details.deliveryPoint,
    ibanEncrypted,
    ibanMasked: maskIban(details.iban),
    bic: details.bic,
    consentAt: now,
    createdAt: now,
  });
  return enrolmentOf(db, { dwellingId: opts.dwellingId });
}

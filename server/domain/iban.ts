import { electronicFormatIBAN, isValidBIC, validateIBAN as checkIban, ValidationErrorsIBAN } from "ibantools";

/**
 * Bank details and the electricity contract of a refund enrolment: what a resident types, made
 * canonical, checked, and the only form of an IBAN that may be shown. Pure and client-safe.
 */

export type Refusal = { field: string; message: string };

/** The delivery point number (PDL / PRM) of a French electricity contract. */
export const DELIVERY_POINT_DIGITS = 14;
export const HOLDER_NAME_MAX = 120;
/** Longer than any country's IBAN (32 at most) with its spaces, shorter than anything abusive. */
export const IBAN_INPUT_MAX = 64;

/** "fr76 3000 6000-0112…" → "FR7630006000…": no spaces, dashes or dots, upper case. */
export function normalizeIban(input: string): string {
  return electronicFormatIBAN(input.replace(/[^0-9A-Za-z]/g, "")) ?? "";
}

/** A BIC as stored: upper case, no spaces; empty when none was given. */
export function normalizeBic(input: string): string {
  return input.replace(/\s+/g, "").toUpperCase();
}

/** Digits only: residents copy the number from a bill that groups it ("1234 5678 9012 34"). */
export function normalizeDeliveryPoint(input: string): string {
  return input.replace(/[\s.-]/g, "");
}

/** The IBAN (already normalized) checked by ibantools: country, length, format and check digits. */
export function validateIban(iban: string, field = "iban"): Refusal | null {
  if (iban === "") return { field, message: "Give the IBAN of the account to pay." };
  const { valid, errorCodes } = checkIban(iban);
  if (valid) return null;
  if (errorCodes.includes(ValidationErrorsIBAN.NoIBANCountry)) return { field, message: "This IBAN does not start with a known country code." };
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength)) return { field, message: "This IBAN has the wrong length for its country." };
  return { field, message: "This IBAN is not valid: its check digits do not match; check each character." };
}

/** An optional BIC (already normalized): 8 or 11 characters naming a bank, a country and a place. */
export function validateBic(bic: string, field = "bic"): Refusal | null {
  if (bic === "" || isValidBIC(bic)) return null;
  return { field, message: "This BIC is not valid: 8 or 11 letters and digits, e.g. BNPAFRPP." };
}

export function validateDeliveryPoint(deliveryPoint: string, field = "deliveryPoint"): Refusal | null {
  if (new RegExp(`^[0-9]{${DELIVERY_POINT_DIGITS}}$`).test(deliveryPoint)) return null;
  return { field, message: `The delivery point number has ${DELIVERY_POINT_DIGITS} digits; it is on the electricity bill.` };
}

export function validateHolderName(name: string, field = "holderName"): Refusal | null {
  if (name === "") return { field, message: "Give the name of the electricity contract holder, as on the bill." };
  if (name.length > HOLDER_NAME_MAX) return { field, message: `At most ${HOLDER_NAME_MAX} characters.` };
  return null;
}

/**
 * What may be shown of an IBAN: country and check digits, three groups of dots, the last four
 * characters ("FR76 •••• •••• •••• 0189"), whatever the IBAN's length, so the mask tells nothing more.
 */
export function maskIban(iban: string): string {
  const canonical = normalizeIban(iban);
  return `${canonical.slice(0, 4)} •••• •••• •••• ${canonical.slice(-4)}`;
}

/** The details of an enrolment as typed, made canonical. */
export type EnrolmentDetails = { holderName: string; deliveryPoint: string; iban: string; bic: string | null };

/**
 * The details made canonical and every refusal at once (each naming its field), so that a form
 * shows them all beside their fields. Consent must be given for the details to be used.
 */
export function checkEnrolment(input: { holderName: string; deliveryPoint: string; iban: string; bic?: string | null; consent: boolean }): {
  details: EnrolmentDetails;
  refusals: Refusal[];
} {
  const details: EnrolmentDetails = {
    holderName: input.holderName.trim().replace(/\s+/g, " "),
    deliveryPoint: normalizeDeliveryPoint(input.deliveryPoint),
    iban: normalizeIban(input.iban),
    bic: normalizeBic(input.bic ?? "") || null,
  };
  const refusals = [
    validateHolderName(details.holderName),
    validateDeliveryPoint(details.deliveryPoint),
    validateIban(details.iban),
    validateBic(details.bic ?? ""),
    input.consent === true ? null : { field: "consent", message: "Agree to the refund being paid into this account." },
  ].filter((r): r is Refusal => r !== null);
  return { details, refusals };
}

import { z } from "zod";

/**
 * Text that reaches storage and other people's screens: PostgreSQL cannot store NUL in text, and
 * control characters in a name, tag or search are never meant (they hide text, break logs and
 * lines). Client-safe: the forms and every edge's zod schemas share these checks.
 */

// C0 controls (U+0000–U+001F, tab, newline and carriage return included) and DEL.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export const CONTROL_CHARACTERS_MESSAGE = "Must not hold control characters (such as NUL, tab or line breaks).";
export const NUL_MESSAGE = "Must not hold NUL characters.";

export function hasControlCharacters(s: string): boolean {
  return CONTROL_CHARACTER.test(s);
}

/** For text that may hold tabs and line breaks (a constant's value, a log): only NUL is refused. */
export function hasNul(s: string): boolean {
  return s.includes("\u0000");
}

/** A name, tag, search or filter value: refused with a control character. */
export function noControlCharacters<S extends z.ZodType<string>>(schema: S, message: string = CONTROL_CHARACTERS_MESSAGE): S {
  return schema.refine((s) => !hasControlCharacters(s), { error: message }) as S;
}

/** Free text (a constant's value): refused with a NUL. */
export function noNul<S extends z.ZodType<string>>(schema: S, message: string = NUL_MESSAGE): S {
  return schema.refine((s) => !hasNul(s), { error: message }) as S;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs and API clients: a malformed one names no record (and must not reach a uuid cast). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A required one-line text of at most `max` characters, trimmed, named `what` in its messages ("Give the source."). */
export const requiredText = (what: string, max: number) =>
  noControlCharacters(
    z
      .string()
      .trim()
      .min(1, `Give the ${what}.`)
      .max(max, `The ${what} has at most ${max} characters.`),
  );

/** An ISO 3166-1 alpha-2 country code, as tariffs and grid intensities are keyed. */
export const countryCode = z.string().regex(/^[A-Z]{2}$/, "A country is its ISO 3166 code, two capital letters (FR).");

import { sql } from "drizzle-orm";

/** Passes a value to SQL as one JSON parameter (read back with jsonb_to_recordset and friends). */
export const jsonb = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/**
 * A PostgreSQL array literal, sent as one text parameter and cast by the caller (`::uuid[]`):
 * lighter than JSON for long columns. Only for values that need no quoting: numbers, uuids,
 * ISO times, booleans, null.
 */
export const pgArray = (values: ReadonlyArray<string | number | null>) =>
  `{${values.map((v) => (v === null ? "NULL" : v)).join(",")}}`;

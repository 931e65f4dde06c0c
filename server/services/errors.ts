/**
 * The refusals a service may answer, one vocabulary for every area. Each transport maps them once:
 * tRPC in server/api/trpc.ts, the REST API in server/rest/errors.ts, form actions in
 * server/actions/form-state.ts. Anything else a service throws is a fault, never shown to people.
 */
export abstract class ServiceError extends Error {
  abstract readonly kind: "not-found" | "invalid-input" | "conflict" | "quota" | "budget";
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The record does not exist, or belongs to another tenant: both read the same. */
export class NotFoundError extends ServiceError {
  readonly kind = "not-found";
  constructor(
    /** What was looked for, as people call it ("Task", "Gateway"). */
    readonly what: string,
    message = `${what} not found.`,
  ) {
    super(message);
  }
}

/**
 * An input the service refuses; `field` names it in the service's own terms ("constants", "radiators.2.serial").
 * `fields` holds every field refused at once (the first is `field`, with the message), so that forms show them all.
 */
export class InvalidInputError extends ServiceError {
  readonly kind = "invalid-input";
  readonly fields: Readonly<Record<string, string>>;
  constructor(
    message: string,
    readonly field: string,
    fields?: Record<string, string>,
  ) {
    super(message);
    this.fields = fields ?? { [field]: message };
  }

  /** One refusal for several fields (at least one); the first leads. */
  static of(fields: Record<string, string>): InvalidInputError {
    const [field, message] = Object.entries(fields)[0]!;
    return new InvalidInputError(message, field, fields);
  }
}

/** The operation is refused by the state things are in (a duplicate name, a task being cancelled); the message says why. */
export class ConflictError extends ServiceError {
  readonly kind = "conflict";
  constructor(
    message: string,
    /** The field whose value is taken (a serial already registered), for forms to show the refusal beside it. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The account's quota would be exceeded; the message names the limit. */
export class QuotaExceededError extends ServiceError {
  readonly kind = "quota";
}

/** The account's budget would be overrun; the message names the budget. */
export class BudgetExceededError extends ServiceError {
  readonly kind = "budget";
}

/** `value`, or a NotFoundError for `what` when the scoped read found nothing. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new NotFoundError(what);
  return value;
}

/** A unique index refused a row (drizzle wraps the driver's error in `cause`); with `constraint`, only that index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constraint_name?: string };
  return pg.code === "23505" && (constraint === undefined || pg.constraint_name === constraint);
}

/** What a read cancelled by the statement timeout answers: a refusal for now, never the fault's text. */
export const READ_TIMEOUT_MESSAGE = "This read took too long and was stopped so that others are served; try again in a moment.";

/** PostgreSQL cancelled the statement (its statement timeout); drivers and drizzle wrap the error in `cause`. */
export function isStatementTimeout(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: string }).code === "57014") return true;
  }
  return false;
}

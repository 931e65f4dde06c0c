import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Personal data stored encrypted (an enrolment's IBAN): AES-256-GCM under HEARTH_DATA_KEY, a
 * fresh random 12-byte IV per value, the authentication tag checked on opening, so a value
 * altered in the database, or sealed under another key, is refused rather than read wrong.
 *
 * Sealed form: "v1.<iv>.<tag>.<ciphertext>", each part base64url. The version lets another
 * algorithm or key come later while older values still open.
 */

const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The data key is missing or malformed: the message says what to set, never the key itself. */
export class DataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataKeyError";
  }
}

/** A sealed value that does not open: altered, truncated, of an unknown version, or sealed under another key. */
export class SealedValueError extends Error {
  constructor(message = "This sealed value cannot be opened: it was altered or sealed under another key.") {
    super(message);
    this.name = "SealedValueError";
  }
}

/** The 32-byte key from its base64 (or base64url) text, as HEARTH_DATA_KEY holds it. */
export function parseDataKey(text: string | undefined): Buffer {
  if (!text || text.trim() === "") {
    throw new DataKeyError(
      "HEARTH_DATA_KEY is not set: bank details are stored encrypted under it. Set it to 32 random bytes in base64 (openssl rand -base64 32); `npm start` makes one in .data/data-key.",
    );
  }
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, "base64") : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new DataKeyError(`HEARTH_DATA_KEY must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32); the value set is not.`);
  }
  return key;
}

/** The key of this process, read when needed so that a process without one still serves everything else. */
export const dataKey = (): Buffer => parseDataKey(process.env.HEARTH_DATA_KEY);

export function seal(plaintext: string, key: Buffer = dataKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

export function open(sealed: string, key: Buffer = dataKey()): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealedValueError("This sealed value is of an unknown format.");
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, "base64url"));
  if (iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES) throw new SealedValueError("This sealed value is of an unknown format.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv!, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedValueError();
  }
}

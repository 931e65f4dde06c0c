import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DataKeyError, open, parseDataKey, seal, SealedValueError } from "./secret-box";

const key = randomBytes(32);
const IBAN = "FR7630006000011234567890189";

describe("the secret box", () => {
  it("opens what it sealed, and never shows the plaintext in the sealed form", () => {
    const sealed = seal(IBAN, key);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("0189");
    expect(open(sealed, key)).toBe(IBAN);
  });

  it("uses a fresh IV each time: the same value seals differently", () => {
    const a = seal(IBAN, key);
    const b = seal(IBAN, key);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split(".")[1]!, "base64url")).toHaveLength(12);
  });

  it("refuses a value altered in its ciphertext, tag or IV", () => {
    const [version, iv, tag, ciphertext] = seal(IBAN, key).split(".");
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString("base64url");
    };
    expect(() => open([version, iv, tag, flip(ciphertext!)].join("."), key)).toThrow(SealedValueError);
    expect(() => open([version, iv, flip(tag!), ciphertext].join("."), key)).toThrow(SealedValueError);
    expect(() => open([version, flip(iv!), tag, ciphertext].join("."), key)).toThrow(SealedValueError);
    expect(() => open(["v2", iv, tag, ciphertext].join("."), key)).toThrow(SealedValueError);
    expect(() => open("not sealed", key)).toThrow(SealedValueError);
  });

  it("refuses to open under another key", () => {
    expect(() => open(seal(IBAN, key), randomBytes(32))).toThrow(SealedValueError);
  });

  it("reads the key from base64 or base64url, and says clearly when it is absent or malformed", () => {
    expect(parseDataKey(key.toString("base64"))).toEqual(key);
    expect(parseDataKey(`${key.toString("base64url")}\n`)).toEqual(key);
    expect(() => parseDataKey(undefined)).toThrow(DataKeyError);
    expect(() => parseDataKey("")).toThrow(/HEARTH_DATA_KEY is not set/);
    expect(() => parseDataKey(randomBytes(16).toString("base64"))).toThrow(/must be 32 bytes/);
    expect(() => parseDataKey("not base64 at all!")).toThrow(/must be 32 bytes/);
  });

  it("never names the malformed key in its message", () => {
    const wrong = randomBytes(20).toString("base64");
    expect(() => parseDataKey(wrong)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(wrong) }));
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hasControlCharacters, hasNul, noControlCharacters, noNul } from "./text";

describe("control characters in text", () => {
  it("finds NUL, the C0 controls and DEL; tab, newline and carriage return count as controls too", () => {
    for (const s of ["a\u0000", "\u0001", "x\u001fy", "\u007f", "a\tb", "a\nb", "a\rb"]) expect(hasControlCharacters(s), JSON.stringify(s)).toBe(true);
    for (const s of ["", "plain", "accents: é ü 漢字", "emoji 🔥", "\u00a0"]) expect(hasControlCharacters(s), JSON.stringify(s)).toBe(false);
  });

  it("finds NUL alone where text may hold tabs and newlines", () => {
    expect(hasNul("a\u0000b")).toBe(true);
    expect(hasNul("line 1\nline 2\ttab\r\n")).toBe(false);
  });

  it("refines a zod string: a refusal on the field, with a message a person can act on", () => {
    const schema = z.object({ search: noControlCharacters(z.string().trim().max(10)), value: noNul(z.string()) });
    expect(schema.safeParse({ search: "ok", value: "a\nb" }).success).toBe(true);
    const bad = schema.safeParse({ search: "a\u0000", value: "x\u0000" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["search", "Must not hold control characters (such as NUL, tab or line breaks)."],
      ["value", "Must not hold NUL characters."],
    ]);
    // Still a string schema: optional and default keep working.
    expect(noControlCharacters(z.string()).optional().parse(undefined)).toBeUndefined();
  });
});

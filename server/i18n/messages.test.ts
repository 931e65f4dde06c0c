import { describe, expect, it } from "vitest";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { MESSAGES } from "@/messages";
import { LOCALES } from "./locales";

type Tree = { [key: string]: string | Tree };

/** Every message of a tree by its dotted key. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The arguments a message takes, with their kind ("plural", "number", plain…). */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.argument) into.add(`${el.value}`);
    else if (el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) into.add(`${el.value}:${TYPE[el.type]}`);
    else if (el.type === TYPE.plural || el.type === TYPE.select) {
      into.add(`${el.value}:${TYPE[el.type]}`);
      for (const option of Object.values(el.options)) argumentsOf(option.value, into);
    } else if (el.type === TYPE.tag) argumentsOf(el.children, into);
  }
  return into;
}

const flat = Object.fromEntries(LOCALES.map((locale) => [locale, flatten(MESSAGES[locale] as unknown as Tree)]));

describe("messages", () => {
  it("every language has every key of every other", () => {
    for (const a of LOCALES) {
      for (const b of LOCALES) {
        const missing = [...flat[a]!.keys()].filter((key) => !flat[b]!.has(key));
        expect(missing, `keys of ${a} missing in ${b}`).toEqual([]);
      }
    }
  });

  it("every message parses and takes the same arguments in every language", () => {
    for (const [key, english] of flat.en!) {
      const expected = [...argumentsOf(parse(english))].sort();
      for (const locale of LOCALES) {
        const text = flat[locale]!.get(key)!;
        expect(text.trim(), `${locale} ${key} is empty`).not.toBe("");
        expect([...argumentsOf(parse(text))].sort(), `${locale} ${key}`).toEqual(expected);
      }
    }
  });
});

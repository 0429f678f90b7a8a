// Front matter exactly as Hexo 8 reads it (hexo-front-matter 4.2.1, hexo-semantics.md §2): Hexo's own split (`;;;`
// JSON, no opening line, a closing line that repeats the opening one), then js-yaml with Hexo's dialect or JSON.
// gray-matter does not fit: it needs the opening line, has no `;;;` or no-opening form, closes at any `---`, skips
// a blank or comment-only block and turns a null result into {} (Hexo reads that as "no front matter").
import {
  CORE_SCHEMA,
  NOT_RESOLVED,
  YAMLException,
  binaryTag,
  defineMappingTag,
  defineScalarTag,
  intCoreTag,
  load,
  mergeTag,
  omapTag,
  pairsTag,
} from "js-yaml";
import type { FrontMatterMemo } from "./front-matter-memo.ts";
import type { FrontMatterResult } from "./types.ts";
import { OffsetTimestamp } from "./dates.ts";

export type FrontMatterParse = { ok: true; value: FrontMatterResult } | { ok: false; line: number; message: string };

/** What hexo-fs does on read: CRLF → LF (a lone CR stays) and a leading BOM removed. */
export function normaliseSource(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(/^\uFEFF/, "");
}

// hexo-front-matter's three regexes, verbatim.
const prefixedForm = /^(-{3,}|;{3,})\n([\s\S]+?)\n\1\n?([\s\S]*)/;
const startsWithSeparator = /^(-{3,}|;{3,})/;
const noOpeningForm = /^([\s\S]+?)\n(-{3,}|;{3,})\n?([\s\S]*)/;

interface Split {
  data: string;
  body: string;
  separator: string;
  prefixed: boolean;
}

function split(text: string): Split | undefined {
  const prefixed = text.match(prefixedForm);
  if (prefixed) return { data: prefixed[2], body: prefixed[3] ?? "", separator: prefixed[1], prefixed: true };
  if (startsWithSeparator.test(text)) return undefined;
  const noOpening = text.match(noOpeningForm);
  if (noOpening) return { data: noOpening[1], body: noOpening[3] ?? "", separator: noOpening[2], prefixed: false };
  return undefined;
}

/**
 * Splits a note into front matter and body with Hexo's rules. A YAML error (including duplicate keys)
 * is returned with its 1-based line in the file; Hexo skips such a post.
 * Unquoted YAML timestamps are `Date`s as js-yaml builds them (no offset = UTC wall-clock);
 * `dates.ts` turns them into Hexo's instants.
 */
export function parseFrontMatter(text: string, memo?: FrontMatterMemo): FrontMatterParse {
  const source = normaliseSource(text);
  const none: FrontMatterParse = { ok: true, value: { data: {}, body: source, bodyLine: 1, form: "none" } };
  const parts = split(source);
  if (!parts) return none;

  const isJson = parts.separator.startsWith(";");
  const dataLine = parts.prefixed ? 2 : 1;
  let data: unknown;
  try {
    const known = memo?.get(parts.data, isJson);
    if (known) data = known.value;
    else {
      data = parseDataBlock(parts.data, isJson);
      memo?.set(parts.data, isJson, data);
    }
  } catch (error) {
    if (isJson) return none; // invalid JSON: Hexo treats the whole file as body
    return { ok: false, line: dataLine + yamlErrorLine(error), message: yamlErrorMessage(error) };
  }
  // Null and scalars mean "no front matter"; a list passes hexo-front-matter but Hexo then fails to create the post.
  if (data === null || typeof data !== "object") return none;
  if (Array.isArray(data)) return { ok: false, line: dataLine, message: "the front matter is a list, not key: value pairs" };

  const bodyStart = source.length - parts.body.length;
  return {
    ok: true,
    value: {
      // A bare timestamp (`2022-06-03` above a `---` line) is front matter without keys, as in Hexo.
      data: Object.getPrototypeOf(data) === Object.prototype ? (data as Record<string, unknown>) : Object.fromEntries(Object.entries(data)),
      body: parts.body,
      bodyLine: 1 + countNewlines(source, bodyStart),
      form: isJson ? (parts.prefixed ? "json" : "json-no-opening") : parts.prefixed ? "yaml" : "yaml-no-opening",
    },
  };
}

/** Parses a data block with Hexo's engine for its separator. Throws what the engine throws. */
function parseDataBlock(block: string, isJson: boolean): unknown {
  return isJson ? parseJsonBlock(block) : loadHexoYaml(block);
}

function parseJsonBlock(block: string): unknown {
  return JSON.parse(`{${block}}`);
}

/**
 * js-yaml with Hexo's YAML dialect (js-yaml 4 `DEFAULT_SCHEMA`): leading tabs expanded to two spaces each
 * (hexo-front-matter's `escape`), empty documents → undefined, duplicate keys an error.
 * Used for `_config.yml` too.
 */
export function loadHexoYaml(text: string): unknown {
  const escaped = text.replace(/\n(\t+)/g, (_match, tabs: string) => `\n${"  ".repeat(tabs.length)}`);
  try {
    return load(escaped, { schema: hexoYamlSchema });
  } catch (error) {
    // js-yaml 4 returned undefined for a document without content; js-yaml 5 throws.
    if (error instanceof YAMLException && /input is empty/.test(error.reason)) return undefined;
    throw error;
  }
}

function yamlErrorLine(error: unknown): number {
  return error instanceof YAMLException && error.mark ? error.mark.line : 0;
}

function yamlErrorMessage(error: unknown): string {
  if (error instanceof YAMLException) return error.reason;
  return error instanceof Error ? error.message : String(error);
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

// ---- js-yaml 4 compatibility tags (Hexo 8 runs js-yaml 4; the project has js-yaml 5) ----

// js-yaml 4's timestamp: no range check (2022-02-30 rolls over to March 2), no offset = UTC.
const yamlDate = /^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$/;
const yamlTimestamp =
  /^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$/;

function resolveTimestamp(source: string): Date | typeof NOT_RESOLVED {
  const dateOnly = yamlDate.exec(source);
  if (dateOnly) return new Date(Date.UTC(+dateOnly[1], +dateOnly[2] - 1, +dateOnly[3]));
  const m = yamlTimestamp.exec(source);
  if (!m) return NOT_RESOLVED;
  const fraction = m[7] ? +(m[7] + "00").slice(0, 3) : 0;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], fraction);
  if (!m[8]) return new Date(ms);
  const offsetMs = m[8] === "Z" ? 0 : (m[9] === "-" ? -1 : 1) * (+m[10] * 60 + +(m[11] ?? 0)) * 60_000;
  // Marked as carrying its own offset: dates.ts honours it instead of re-reading the wall-clock.
  return new OffsetTimestamp(ms - offsetMs);
}

const timestampTag = defineScalarTag<Date>("tag:yaml.org,2002:timestamp", {
  implicit: true,
  implicitFirstChars: [..."0123456789"],
  resolve: resolveTimestamp,
  identify: (value) => value instanceof Date,
  represent: (value: Date) => value.toISOString(),
});

// js-yaml 4 also read signed and binary prefixed integers (`-0x1F`, `0b101`) that the 1.2 core schema leaves as text.
const prefixedInteger = /^([-+]?)0(b[01]+|o[0-7]+|x[0-9a-fA-F]+)$/;
const intTag = defineScalarTag<number>("tag:yaml.org,2002:int", {
  implicit: true,
  implicitFirstChars: ["-", "+", ..."0123456789"],
  resolve: (source, isExplicit, tagName) => {
    const m = prefixedInteger.exec(source);
    if (!m) return intCoreTag.resolve(source, isExplicit, tagName);
    const radix = { b: 2, o: 8, x: 16 }[m[2][0] as "b" | "o" | "x"];
    return (m[1] === "-" ? -1 : 1) * parseInt(m[2].slice(1), radix);
  },
  identify: intCoreTag.identify,
  represent: intCoreTag.represent,
});

// js-yaml 4's `!!set` is an object whose values are null, not a JS Set.
const setTag = defineMappingTag<Record<string, null>>("tag:yaml.org,2002:set", {
  create: () => ({}),
  addPair: (set, key, value) => {
    if (value !== null) return "cannot resolve a set item";
    set[String(key)] = null;
    return "";
  },
  has: (set, key) => Object.prototype.hasOwnProperty.call(set, String(key)),
  keys: (set) => Object.keys(set),
  get: () => null,
  identify: () => false,
});

const hexoYamlSchema = CORE_SCHEMA.withTags(intTag, timestampTag, mergeTag, binaryTag, omapTag, pairsTag, setTag);

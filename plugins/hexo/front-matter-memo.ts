// Front matter read once per text, across builds: js-yaml took 0.4-0.6 ms a note, half a second of a 1,000-note build
// that finds every page in the render cache (issue 16). The values are kept as JSON, with their dates marked, and
// only values JSON gives back exactly are kept: a block with a NaN, a -0, binary data or an object of another kind is
// read by js-yaml every time.
import { createHash } from "node:crypto";
import { OffsetTimestamp } from "./dates.ts";

/** Where the parsed data blocks are kept (the render cache). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/** The parsed value of a front matter's data block, by the block's text and form. */
export interface FrontMatterMemo {
  get(block: string, isJson: boolean): { value: unknown } | undefined;
  set(block: string, isJson: boolean, value: unknown): void;
}

// A Date and a date with its own offset, as one-key objects no front matter holds (a key with a NUL).
const DATE = "\0date";
const OFFSET_DATE = "\0offset-date";

/** `salt`: what else decides the parse (the parser's code), so that a change to it reads every block again. */
export function frontMatterMemo(store: KeyValueStore, salt: string): FrontMatterMemo {
  const keyOf = (block: string, isJson: boolean) =>
    createHash("sha256").update(`front-matter\0${salt}\0${isJson ? "json" : "yaml"}\0${block}`).digest("hex");
  return {
    get(block, isJson) {
      const kept = store.get<{ value: unknown }>(keyOf(block, isJson));
      return kept && typeof kept === "object" && "value" in kept ? { value: decode(kept.value) } : undefined;
    },
    set(block, isJson, value) {
      const encoded = encode(value);
      if (encoded !== UNKEPT) store.set(keyOf(block, isJson), { value: encoded });
    },
  };
}

const UNKEPT = Symbol("not kept");

/** The value as JSON would carry it back exactly, or UNKEPT. */
export function encode(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0) ? value : UNKEPT;
  if (value instanceof Date) {
    const ms = value.getTime();
    const kind = Object.getPrototypeOf(value);
    if (Number.isNaN(ms) || (kind !== Date.prototype && kind !== OffsetTimestamp.prototype)) return UNKEPT;
    return { [kind === OffsetTimestamp.prototype ? OFFSET_DATE : DATE]: ms };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const e = encode(item);
      if (e === UNKEPT) return UNKEPT;
      out.push(e);
    }
    return out;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === "__proto__" || key.includes("\0")) return UNKEPT;
      const e = encode((value as Record<string, unknown>)[key]);
      if (e === UNKEPT) return UNKEPT;
      out[key] = e;
    }
    // symbol or non-enumerable keys would be lost
    if (Reflect.ownKeys(value).length !== Object.keys(value).length) return UNKEPT;
    return out;
  }
  return UNKEPT;
}

export function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === DATE) return new Date(o[DATE] as number);
  if (keys.length === 1 && keys[0] === OFFSET_DATE) return new OffsetTimestamp(o[OFFSET_DATE] as number);
  for (const key of keys) o[key] = decode(o[key]);
  return o;
}

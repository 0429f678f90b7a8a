// A note's `snippets.zip`, written by fflate. Pure: entries in, bytes out, the same bytes for the same entries on
// every machine, at any time, in any timezone.
import { strToU8, zipSync, type Zippable } from "fflate";

export interface ZipEntry {
  name: string;
  data: Uint8Array | string;
}

/** Below this size an entry is stored: deflate would save a few bytes and cost a compressor per file. */
const STORE_BELOW = 1024;

/** A zip archive of the entries (small ones stored, others deflated; UTF-8 names; -rw-r--r-- files). */
export function makeZip(entries: ZipEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const { name, data } of entries) {
    const bytes = typeof data === "string" ? strToU8(data) : data;
    files[name] = [bytes, { level: bytes.length < STORE_BELOW ? 0 : 6 }];
  }
  // Every entry is dated 1980-01-01 00:00, the first date a zip holds. fflate writes the local fields of the date,
  // so the date is made from local fields, now (the timezone may have changed since this module was loaded).
  return zipSync(files, { mtime: new Date(1980, 0, 1), os: 3, attrs: (0o100644 << 16) >>> 0 });
}

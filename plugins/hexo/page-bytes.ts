// Eleventy 3.1 keeps every page it wrote until the build ends (Template.js caches each page's final content, and
// `write()` returns them all), and a Verinotes page is a two-byte JavaScript string (one CJK character makes the
// whole page two bytes a character): 19 KB a page on the V8 heap, 34 MB per 1,000 notes, which the heap's headroom
// about doubles at the build's peak (issue 16). Handed to Eleventy as its UTF-8 bytes instead (it writes a Buffer
// as it is), a page costs its file's size, 10 KB, outside the V8 heap. Only where nothing after the transform reads
// the page as text: a one-shot build writing files (not `--to=json`, not `npm start` or `eleventy --serve`, whose
// dev servers may read the pages), with no transform after this one that could touch the page (it would expect text).

/** The transform's name (Eleventy runs transforms in the order they were added). */
export const PAGE_BYTES = "verinotes:page-bytes";

/**
 * Eleventy's bundle plugin (always on) registers this transform late, after the plugins' own: it returns the page
 * as it is unless a bundle is `delayed`.
 */
export const DELAYED_BUNDLES = "@11ty/eleventy-bundle/delayed";

/** What Eleventy's `eleventy.before` says of the build, and the transforms registered. */
export interface BuildKind {
  runMode?: string;
  outputMode?: string;
  /** The transforms' names, in the order Eleventy runs them. */
  transforms: string[];
  /** Whether any of Eleventy's bundles is delayed (then DELAYED_BUNDLES rewrites pages). */
  delayedBundles: boolean;
}

/** Whether this build may hand Eleventy its pages as bytes. */
export function pagesAsBytes({ runMode, outputMode, transforms, delayedBundles }: BuildKind): boolean {
  const at = transforms.indexOf(PAGE_BYTES);
  const after = transforms.slice(at + 1);
  const untouched = after.every((name) => name === DELAYED_BUNDLES && !delayedBundles);
  return runMode === "build" && (outputMode ?? "fs") === "fs" && at >= 0 && untouched;
}

/** A page's text as the UTF-8 bytes Eleventy writes to its file (anything else as it is). */
export function pageBytes(content: unknown): unknown {
  return typeof content === "string" ? Buffer.from(content, "utf8") : content;
}

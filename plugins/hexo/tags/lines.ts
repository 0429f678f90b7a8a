// Lines and the container prefixes (indentation, `>`, list markers) in front of a tag: where a tag sits in the
// Markdown decides whether it is a block of its own, and what later lines need to stay in its list or quote.

/** Offsets of the start of every line. */
export function lineStarts(s: string): number[] {
  const starts = [0];
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based index of the line holding offset `off`. */
export function lineIndexAt(starts: readonly number[], off: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Text before a tag that only opens containers (indentation, `>`, list markers): the tag starts a block. */
export function isContainerPrefix(before: string): boolean {
  return /^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*$/.test(before);
}

/** Line prefix that keeps later lines in the containers `before` opened (list markers become spaces). */
export function continuationPrefix(before: string): string {
  const m = /^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*/.exec(before);
  return (m ? m[0] : "").replace(/[-*+]|\d{1,9}[.)]/g, (x) => " ".repeat(x.length));
}

/** Does the span [start, end) sit alone on its line(s) (only container prefix before, blanks after)? */
export function isAloneOnLine(src: string, start: number, end: number): boolean {
  const ls = src.lastIndexOf("\n", start - 1) + 1;
  let le = src.indexOf("\n", end);
  if (le === -1) le = src.length;
  return isContainerPrefix(src.slice(ls, start)) && src.slice(end, le).trim() === "";
}

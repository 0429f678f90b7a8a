// How a check's result is shown: one line per broken link in the build's `file:line: error: message` form,
// a summary line, and the `--json` report.
import type { BrokenLink, CheckReport } from "./check.ts";

export function formatBroken(b: BrokenLink): string {
  const where = b.source ? `${b.source}${b.line ? `:${b.line}` : ""}` : b.page;
  const onPage = b.source ? ` on ${b.page}` : "";
  return `${where}: error: broken link ${JSON.stringify(b.href)}${onPage}: ${b.reason}`;
}

export function formatSummary(report: CheckReport): string {
  const s = report.stats;
  const external = s.externalChecked
    ? `${s.externalLinks} external (${s.externalUrls} URLs checked)`
    : `${s.externalLinks} external not checked (add --external)`;
  const root = report.location.root === "/" ? "" : ` at root ${report.location.root}`;
  return (
    `Checked ${s.pages} pages and ${s.xmlFiles} feeds/sitemaps${root}: ${s.internalLinks} internal links, ${external}; ` +
    `${report.broken.length} broken in ${(s.ms / 1000).toFixed(2)}s`
  );
}

/** The `--json` report: `{ "broken": [ { page, source, line, href, reason } ] }`. */
export function jsonReport(report: CheckReport): { broken: BrokenLink[] } {
  return { broken: report.broken.map(({ page, source, line, href, reason }) => ({ page, source, line, href, reason })) };
}

// How a check's result is shown: one line per broken link in the build's `file:line: error: message` form,
// a summary line, and the `--json` report.
import type { BrokenLink, CheckReport } from "./check.ts";
import type { MoveReport } from "./published-site.ts";

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

/** `--against`: a line per page and heading id of the old site that the new one lacks; the summary (and a hint). */
export function formatMove(report: MoveReport, oldSite: string): { problems: string[]; summary: string[] } {
  const problems = [
    ...report.missingRoutes.map((route) => `${oldSite}/${route}: error: page missing: the old site has /${route}, the new site has no such page`),
    ...report.missingAnchors.map(
      ({ route, id }) => `${oldSite}/${route}: error: anchor missing: /${route}#${id} finds a heading on the old site, nothing on the new page`,
    ),
  ];
  const summary = [
    `Compared with ${oldSite}: ${report.compared.routes} pages and ${report.compared.anchors} heading ids of the old site; ` +
      `${report.missingRoutes.length} pages and ${report.missingAnchors.length} anchors missing`,
  ];
  if (report.missingAnchors.length) summary.push(`  (build with \`npm run build -- … --keep-anchors-from ${oldSite}\` to keep the old ids as aliases)`);
  return { problems, summary };
}

// Site checks: the static link check of a built site (`checkSite`), the external link checker, the static file
// server the browser crawl uses, and the crawl's per-page checks.
export { checkSite, listSiteFiles, type CheckOptions, type CheckReport, type BrokenLink } from "./check.ts";
export { extractPage, extractXml, parseSrcset, type PageFacts, type LinkRef } from "./html.ts";
export { checkExternal, type ExternalOptions, type ExternalResult } from "./external.ts";
export { detectLocation, type SiteLocation } from "./urls.ts";
export { SourceIndex, SOURCES_FILE } from "./sources.ts";
export { formatBroken, formatSummary, jsonReport } from "./report.ts";

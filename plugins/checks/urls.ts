// URLs ↔ files of a built site. Folders on disk have raw UTF-8 names (`2022/06/03/Pytorch中知识点02/`), hrefs are
// percent-encoded; the site may live below a root path (`/blog/`) on its host.

/** Where the site is published: `origin` (scheme://host[:port], when known) and `root` ("/" or "/blog/"). */
export interface SiteLocation {
  origin?: string;
  root: string;
}

/** The origin relative URLs are resolved against when the site's own is unknown. */
export const LOCAL_ORIGIN = "http://verinotes.invalid";

/** "blog" / "/blog" / "/blog/" → "/blog/" (percent-encoded like a URL path). */
export function normalizeRoot(root: string): string {
  let r = root.trim();
  if (!r.startsWith("/")) r = `/${r}`;
  if (!r.endsWith("/")) r = `${r}/`;
  return encodePath(safeDecode(r) ?? r);
}

/** A raw path (UTF-8 names) as a URL path: each segment percent-encoded, `/` kept. */
export function encodePath(rawPath: string): string {
  return rawPath
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
}

export function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The URL path a page at `route` is served at: `a/b/index.html` → `/root/a/b/index.html` (encoded). */
export function routeUrlPath(route: string, root: string): string {
  return root + encodePath(route);
}

/**
 * The files an internal URL path (below the root, decoded) can be served from, in order:
 * `x/` → `x/index.html`; `x` → `x`, then `x/index.html` (a static host redirects a folder to `x/`).
 */
export function candidateFiles(decodedRest: string): string[] {
  if (decodedRest === "" || decodedRest.endsWith("/")) return [`${decodedRest}index.html`];
  return [decodedRest, `${decodedRest}/index.html`];
}

/** Whether `a` and `b` name the same site: same host and port; http and https (on their default ports) count as one. */
export function sameSite(a: URL, b: URL): boolean {
  if (!/^https?:$/.test(a.protocol) || !/^https?:$/.test(b.protocol)) return a.origin === b.origin;
  return a.hostname === b.hostname && a.port === b.port;
}

/**
 * Finds the site's origin and root path from absolute URLs the site gives for its own pages:
 * sitemap `<loc>`s (the shortest path prefix under which the rest names a file on disk) and
 * `<link rel=canonical>`s of pages whose route is known. Most votes wins; nothing found → root "/".
 */
export function detectLocation(
  hasFile: (rel: string) => boolean,
  sitemapLocs: string[],
  canonicals: { route: string; href: string }[],
): SiteLocation {
  const votes = new Map<string, number>();
  const vote = (origin: string, root: string) => {
    const key = `${origin} ${root}`;
    votes.set(key, (votes.get(key) ?? 0) + 1);
  };
  for (const loc of sitemapLocs.slice(0, 50)) {
    const url = tryUrl(loc);
    if (!url || !/^https?:$/.test(url.protocol)) continue;
    const path = url.pathname;
    for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
      const prefix = path.slice(0, i + 1);
      const rest = safeDecode(path.slice(i + 1));
      if (rest === undefined) break;
      if (candidateFiles(rest).some(hasFile)) {
        vote(url.origin, prefix);
        break;
      }
    }
  }
  for (const { route, href } of canonicals.slice(0, 200)) {
    const url = tryUrl(href);
    if (!url || !/^https?:$/.test(url.protocol)) continue;
    const path = url.pathname;
    const forms = [encodePath(route)];
    if (route.endsWith("index.html")) forms.push(encodePath(route.slice(0, -"index.html".length)));
    for (const form of forms) {
      if (form && path.endsWith(form) && path.length - form.length >= 1) {
        vote(url.origin, path.slice(0, path.length - form.length));
        break;
      }
      if (form === "" && path.endsWith("/")) {
        vote(url.origin, path);
        break;
      }
    }
  }
  let best: [string, number] | undefined;
  for (const entry of votes) if (!best || entry[1] > best[1]) best = entry;
  if (!best) return { root: "/" };
  const [origin, root] = best[0].split(" ");
  return { origin, root };
}

export function tryUrl(href: string, base?: string | URL): URL | undefined {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
}

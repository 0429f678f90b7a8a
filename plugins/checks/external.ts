// External links (`--external`): each distinct URL fetched once, a few at a time, with a timeout and retries;
// answers that worked are kept in a cache file for a while so that the next run asks only about new URLs.
import fs from "node:fs";
import path from "node:path";
import pLimit from "p-limit";

export interface ExternalOptions {
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Per request, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout, 429 or 5xx. Default 2. */
  retries?: number;
  /** JSON cache file of good answers; undefined: no cache. */
  cacheFile?: string;
  /** How long a good answer is trusted, in ms. Default one day. */
  cacheTtlMs?: number;
  /** Delay before retry k is `retryDelayMs * 2^(k-1)`. Default 500. */
  retryDelayMs?: number;
  /** For tests: the clock. */
  now?: () => number;
}

export interface ExternalResult {
  ok: boolean;
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** Why the link is broken, when it is. */
  reason?: string;
  /** Taken from the cache file, not asked. */
  cached?: boolean;
}

interface CacheFile {
  version: 1;
  entries: Record<string, { status: number; checkedAt: number }>;
}

const USER_AGENT = "Mozilla/5.0 (compatible; verinotes-link-check; +https://github.com/)";

/** Checks each URL (fragments are not checked: another site's anchors are its business). */
export async function checkExternal(urls: Iterable<string>, options: ExternalOptions = {}): Promise<Map<string, ExternalResult>> {
  const limit = pLimit(Math.max(1, options.concurrency ?? 8));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = Math.max(0, options.retries ?? 2);
  const ttl = options.cacheTtlMs ?? 24 * 3600_000;
  const retryDelay = options.retryDelayMs ?? 500;
  const now = options.now ?? Date.now;
  const cache = readCache(options.cacheFile);
  const results = new Map<string, ExternalResult>();
  const queue: string[] = [];
  for (const url of new Set([...urls].map(withoutFragment))) {
    const hit = cache.entries[url];
    if (hit && now() - hit.checkedAt < ttl) results.set(url, { ok: true, status: hit.status, cached: true });
    else queue.push(url);
  }
  await Promise.all(
    queue.map((url) =>
      limit(async () => {
        const result = await checkOne(url, timeoutMs, retries, retryDelay);
        results.set(url, result);
        if (result.ok) cache.entries[url] = { status: result.status ?? 200, checkedAt: now() };
        else delete cache.entries[url];
      }),
    ),
  );
  writeCache(options.cacheFile, cache);
  return results;
}

export function withoutFragment(url: string): string {
  const i = url.indexOf("#");
  return i < 0 ? url : url.slice(0, i);
}

async function checkOne(url: string, timeoutMs: number, retries: number, retryDelay: number): Promise<ExternalResult> {
  let last: ExternalResult = { ok: false, reason: "not checked" };
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(retryDelay * 2 ** (attempt - 1));
    last = await askOnce(url, timeoutMs);
    if (last.ok) return last;
    const transient = last.status === undefined || last.status === 429 || last.status >= 500;
    if (!transient) return last;
  }
  return last;
}

/** HEAD first; servers that refuse HEAD (405, 403, 501, or any error) are asked with GET. */
async function askOnce(url: string, timeoutMs: number): Promise<ExternalResult> {
  const head = await request(url, "HEAD", timeoutMs);
  if (head.ok) return head;
  if (head.status === 404 || head.status === 410) return head;
  const get = await request(url, "GET", timeoutMs);
  return get;
}

async function request(url: string, method: "HEAD" | "GET", timeoutMs: number): Promise<ExternalResult> {
  try {
    const response = await fetch(url, {
      method,
      redirect: "follow",
      signal: AbortSignal.timeout(timeoutMs),
      headers: { "user-agent": USER_AGENT, accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
    });
    // The body is not needed; let the connection go.
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 400) return { ok: true, status: response.status };
    return { ok: false, status: response.status, reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` };
  } catch (error) {
    return { ok: false, reason: describeFetchError(error, timeoutMs) };
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `request failed: ${cause ?? e?.message ?? String(error)}`;
}

function readCache(file: string | undefined): CacheFile {
  if (!file) return { version: 1, entries: {} };
  try {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
    if (data && data.version === 1 && data.entries && typeof data.entries === "object") return data;
  } catch {
    // Missing or unreadable: start afresh.
  }
  return { version: 1, entries: {} };
}

function writeCache(file: string | undefined, cache: CacheFile): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(cache));
  fs.renameSync(tmp, file);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Fetching remote images once, for `--localize-images`: each URL is asked for at most once per cache (a copy is
// kept for good; a host that failed is asked again after a day), a few at a time, with a timeout. This is the
// I/O edge of remote-images.ts; the notes pipeline joins it as an extension (remote-images-plugin.ts).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pLimit from "p-limit";
import { copyPath, imageSize, type LocalizedImage } from "./remote-images.ts";

export interface FetchImagesOptions {
  /** Folder of the copies and their index (kept between builds). */
  cacheDir: string;
  /** Per request, in ms (default 15 000). */
  timeoutMs?: number;
  /** Requests at once (default 6). */
  concurrency?: number;
  /** How long a failure is believed before the host is asked again, in ms (default one day). */
  failureTtlMs?: number;
  now?: () => number;
}

/** One image as the cache knows it; `bytes` are read for the site only when there is a copy. */
export interface FetchedImage extends LocalizedImage {
  /** The copy's file in the cache. */
  cached?: string;
  checkedAt: number;
}

interface CacheIndex {
  version: 1;
  images: Record<string, FetchedImage>;
}

const USER_AGENT = "Mozilla/5.0 (compatible; verinotes-localize-images)";
const MAX_BYTES = 50 * 1024 * 1024;

/** What the site can have of each URL: a copy in the cache, or why not. */
export async function fetchImages(urls: Iterable<string>, options: FetchImagesOptions): Promise<Map<string, FetchedImage>> {
  const now = options.now ?? Date.now;
  const failureTtl = options.failureTtlMs ?? 24 * 3600_000;
  const indexFile = path.join(options.cacheDir, "index.json");
  const index = readIndex(indexFile);
  const results = new Map<string, FetchedImage>();
  const queue: string[] = [];
  for (const url of new Set(urls)) {
    const known = index.images[url];
    const copyThere = known?.cached && fs.existsSync(path.join(options.cacheDir, known.cached));
    if (known && (copyThere || (!known.cached && now() - known.checkedAt < failureTtl))) results.set(url, known);
    else queue.push(url);
  }
  const limit = pLimit(Math.max(1, options.concurrency ?? 6));
  await Promise.all(
    queue.map((url) =>
      limit(async () => {
        const fetched = await fetchOne(url, options, now());
        results.set(url, fetched);
        index.images[url] = fetched;
      }),
    ),
  );
  if (queue.length) {
    fs.mkdirSync(options.cacheDir, { recursive: true });
    const tmp = `${indexFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(index));
    fs.renameSync(tmp, indexFile);
  }
  return results;
}

async function fetchOne(url: string, options: FetchImagesOptions, checkedAt: number): Promise<FetchedImage> {
  try {
    const response = await fetch(url, { headers: { "user-agent": USER_AGENT, accept: "image/*,*/*;q=0.5" }, redirect: "follow", signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    if (!response.ok) return { gone: `the host answered ${response.status}`, checkedAt };
    const type = response.headers.get("content-type") ?? undefined;
    if (type && /^text\/html/i.test(type)) return { gone: "the host answered with a web page, not an image", checkedAt };
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength === 0) return { gone: "the host sent an empty file", checkedAt };
    if (bytes.byteLength > MAX_BYTES) return { gone: `larger than ${MAX_BYTES / 1024 / 1024} MB, not copied`, checkedAt };
    const file = copyPath(url, type);
    const cached = `${crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 20)}${path.extname(file)}`;
    fs.mkdirSync(options.cacheDir, { recursive: true });
    fs.writeFileSync(path.join(options.cacheDir, cached), bytes);
    return { file, cached, ...imageSize(bytes), checkedAt };
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { gone: error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : `no answer (${cause})`, checkedAt };
  }
}

/** The bytes of a copy, from the cache. */
export function readCopy(cacheDir: string, image: FetchedImage): Uint8Array | undefined {
  if (!image.cached) return undefined;
  try {
    return fs.readFileSync(path.join(cacheDir, image.cached));
  } catch {
    return undefined;
  }
}

function readIndex(file: string): CacheIndex {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheIndex;
    if (parsed.version === 1 && parsed.images) return parsed;
  } catch {
    // none yet, or unreadable: start again
  }
  return { version: 1, images: {} };
}

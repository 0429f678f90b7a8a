// `--localize-images` as an Eleventy plugin: joins the notes pipeline of the Hexo plugin as an extension (see
// plugins/hexo/extensions.ts). Collects each note's remote images from its tokens, fetches them once (cached), and
// gives back the pages pointing at the copies, the copies as files, and a record for `npm run check`.
import path from "node:path";
import type UserConfig from "@11ty/eleventy/UserConfig";
import type { Token } from "markdown-it";
import { joinNotesAtEachBuild, type NotesExtension } from "../hexo/extensions.ts";
import { remoteImageSources, withLocalImages, type LocalizedImage } from "./remote-images.ts";
import { fetchImages, readCopy, type FetchImagesOptions } from "./remote-images-fetch.ts";

/** Written into the output folder: every remote image of the site and what became of it (`npm run check` reads it). */
export const REMOTE_IMAGES_FILE = "verinotes-images.json";

export interface RemoteImagesOptions {
  /** Copy remote images into the site (default false: they stay hot-linked). */
  localizeImages?: boolean;
  /** Where the copies are kept between builds (default `.cache/images`). */
  cacheDir?: string;
  timeoutMs?: number;
}

/** What the record says of one image. */
export interface RemoteImageRecord extends LocalizedImage {
  /** The notes (sources) that show it. */
  notes: string[];
}

export function remoteImagesExtension(options: RemoteImagesOptions = {}): NotesExtension {
  const fetchOptions: FetchImagesOptions = { cacheDir: path.resolve(options.cacheDir ?? ".cache/images"), timeoutMs: options.timeoutMs };
  return {
    name: "remote-images",
    version: "1",
    collect: (_note, tokens) => remoteImageSources(tokens as Token[]),
    async finish(notes) {
      const usedBy = new Map<string, string[]>();
      for (const note of notes) for (const url of (note.collected as string[] | undefined) ?? []) usedBy.set(url, [...(usedBy.get(url) ?? []), note.source]);
      const fetched = await fetchImages(usedBy.keys(), fetchOptions);
      const files: { to: string; content: Uint8Array }[] = [];
      const images = new Map<string, LocalizedImage>();
      for (const [url, image] of fetched) {
        const bytes = image.file ? readCopy(fetchOptions.cacheDir, image) : undefined;
        if (bytes && image.file) {
          files.push({ to: image.file, content: bytes });
          images.set(url, { file: image.file, width: image.width, height: image.height });
        } else images.set(url, { gone: image.gone ?? "the cached copy is missing" });
      }
      const html: Record<string, string> = {};
      for (const note of notes) if (((note.collected as string[] | undefined) ?? []).length) html[note.source] = withLocalImages(note.html, note.route, images);
      const record: Record<string, RemoteImageRecord> = {};
      for (const [url, image] of images) record[url] = { ...image, notes: usedBy.get(url) ?? [] };
      files.push({ to: REMOTE_IMAGES_FILE, content: Buffer.from(JSON.stringify({ images: record })) });
      return { html, files, data: { localized: files.length - 1, gone: [...images.values()].filter((i) => i.gone).length } };
    },
  };
}

/** The Eleventy plugin: adds the extension when asked to localize. */
export default function remoteImages(eleventyConfig: UserConfig, options: RemoteImagesOptions = {}): void {
  if (options.localizeImages) joinNotesAtEachBuild(eleventyConfig, "the remote images plugin (localizeImages)", remoteImagesExtension(options));
}

// `verinotes-sources.json`, written by the build: for each note page, the note it came from and the links the
// note wrote with their lines. The checker reads it to say where a broken link was written; it never searches
// the Markdown itself.
import fs from "node:fs";
import path from "node:path";

export const SOURCES_FILE = "verinotes-sources.json";

export interface SourcesFile {
  pages: Record<string, { source: string; links: { href: string; line: number }[] }>;
}

export interface Attribution {
  source: string | null;
  line: number | null;
}

export class SourceIndex {
  readonly found: boolean;
  private readonly pages: SourcesFile["pages"];
  private readonly byPage = new Map<string, Map<string, number[]>>();
  private global?: Map<string, Set<string>>;

  constructor(data: SourcesFile | undefined) {
    this.found = Boolean(data);
    this.pages = data?.pages ?? {};
  }

  static read(file: string): SourceIndex {
    let data: SourcesFile | undefined;
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as SourcesFile;
      if (parsed && typeof parsed.pages === "object" && parsed.pages) data = parsed;
    } catch {
      data = undefined;
    }
    return new SourceIndex(data);
  }

  static forSite(dir: string, file?: string): SourceIndex {
    return SourceIndex.read(file ?? path.join(dir, SOURCES_FILE));
  }

  /** The note a page was made from, if the page is a note's page. */
  sourceOf(page: string): string | undefined {
    return this.pages[page]?.source;
  }

  /**
   * Where the `count` occurrences of `href` on `page` were written: one attribution per line the page's note
   * wrote it on; occurrences beyond those come from the layout (the note's page, no line). A page that is not a
   * note's (a listing showing excerpts) gets the note that wrote exactly this href, when only one note did.
   */
  attribute(page: string, href: string, count: number): Attribution[] {
    const entry = this.pages[page];
    if (entry) {
      const lines = this.linesOn(page, href);
      const out: Attribution[] = [...new Set(lines)].map((line) => ({ source: entry.source, line }));
      if (count > lines.length) out.push({ source: entry.source, line: null });
      return out;
    }
    const writers = this.writersOf(href);
    if (writers.size === 1) {
      const [key] = writers;
      const [source, line] = key.split("\0");
      return [{ source, line: Number(line) }];
    }
    return [{ source: null, line: null }];
  }

  private linesOn(page: string, href: string): number[] {
    let map = this.byPage.get(page);
    if (!map) {
      map = new Map();
      for (const link of this.pages[page]?.links ?? []) {
        const list = map.get(link.href) ?? [];
        list.push(link.line);
        map.set(link.href, list);
      }
      this.byPage.set(page, map);
    }
    return map.get(href) ?? [];
  }

  private writersOf(href: string): Set<string> {
    if (!this.global) {
      this.global = new Map();
      for (const entry of Object.values(this.pages)) {
        for (const link of entry.links ?? []) {
          const set = this.global.get(link.href) ?? new Set<string>();
          set.add(`${entry.source}\0${link.line}`);
          this.global.set(link.href, set);
        }
      }
    }
    return this.global.get(href) ?? new Set();
  }
}

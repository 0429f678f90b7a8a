// Every option of the verifier, typed and defaulted in one place.
import { createRequire } from "node:module";
import os from "node:os";
import type { MarkdownIt } from "markdown-it";
import type { SandboxMode } from "./runners/sandbox.ts";
import type { Token } from "./types.ts";

/** Splits a note into front matter and body; bodyLine is the 1-based file line where body starts. */
export type FrontMatterSplitter = (text: string) => { body: string; bodyLine: number };

/** Parses a note body into markdown-it block tokens (the same parse the page uses). */
export type BodyParser = (body: string) => Token[];

export interface VerifyOptions {
  /** Folder the note paths are relative to (for `source` in the report). Default: process.cwd(). */
  inputDir: string;
  /** Front-matter splitter (the site plugs in the Hexo one). */
  splitFrontMatter: FrontMatterSplitter;
  /** The markdown parser. The site passes its own so that snippets match the page. */
  parse: BodyParser;
  /** Or: loads the parser when a note first needs parsing (a warm run that hits the cache never loads it). */
  loadParser?: () => Promise<BodyParser>;
  /** Identifies the parser configuration in the per-note cache key. */
  parserId: string;
  /** python executable (looked up on PATH). */
  python: string;
  /** Workers: one per core by default. */
  jobs: number;
  /** Seconds per block (§5). */
  timeout: number;
  /** Seconds per note session. */
  noteTimeout: number;
  /** Output cap per block, bytes. */
  outputCap: number;
  /** Address-space limit per session, MiB (0: none). */
  memoryMb: number;
  /** Process limit per session (0: none). */
  maxProcesses: number;
  /** Cache folder, or null for no cache. */
  cacheDir: string | null;
  /** "bwrap" (default): note code runs only inside the sandbox, and not at all without one; "none": `--no-sandbox`. */
  sandbox: SandboxMode;
  /** Disk a session may fill (its folder is on a tmpfs of this size), MiB. */
  diskMb: number;
  /** Folders the sandbox must hide besides the working folder (notes, caches, output). */
  hide: string[];
  /** Imports a reader supplies when a block uses the name without importing it (§4b): name → module. */
  imports: Record<string, string>;
  /** Check c/cpp with gcc/g++ -fsyntax-only when present. */
  compileC: boolean;
  /** Called after each note. */
  onProgress?: (done: number, total: number, file: string) => void;
}

/**
 * The conventional aliases of §4b: what a reader assumes when a note writes `np.array` or `nn.Conv2d` without the
 * import. Standard-library modules (`os.path`, `argparse.ArgumentParser`) are supplied too. Sites extend this.
 */
export const DEFAULT_IMPORTS: Readonly<Record<string, string>> = {
  np: "numpy",
  numpy: "numpy",
  pd: "pandas",
  pandas: "pandas",
  plt: "matplotlib.pyplot",
  mpl: "matplotlib",
  matplotlib: "matplotlib",
  sns: "seaborn",
  sp: "scipy",
  scipy: "scipy",
  torch: "torch",
  nn: "torch.nn",
  F: "torch.nn.functional",
  optim: "torch.optim",
  torchvision: "torchvision",
  transforms: "torchvision.transforms",
  tf: "tensorflow",
  keras: "keras",
  cv2: "cv2",
  Image: "PIL.Image",
  sklearn: "sklearn",
  requests: "requests",
  jax: "jax",
  jnp: "jax.numpy",
};

export function defaultSplitFrontMatter(text: string): { body: string; bodyLine: number } {
  // Minimal `---` splitter: a first line `---`, then the front matter, then a line `---` or `...`.
  const m = /^(?:\uFEFF)?---[ \t]*\r?\n/.exec(text);
  if (!m) return { body: text, bodyLine: 1 };
  const lines = text.split("\n");
  for (let i = 1; i < lines.length; i++) {
    if (/^(---|\.\.\.)[ \t]*\r?$/.test(lines[i])) {
      return { body: lines.slice(i + 1).join("\n"), bodyLine: i + 2 };
    }
  }
  return { body: text, bodyLine: 1 };
}

/**
 * The CLI's markdown-it (the lead swaps in the site's instance). Required when first made, not imported with this
 * module: loading markdown-it was most of what a warm `verify` spent on loading modules, and it never parses.
 */
export function defaultMarkdown(): MarkdownIt {
  const markdownIt = createRequire(import.meta.url)("markdown-it") as typeof import("markdown-it").default;
  return markdownIt({ html: true, breaks: true });
}

export function parserFrom(md: { parse(src: string, env: object): Token[] }): BodyParser {
  return (body) => md.parse(body, {});
}

export function resolveOptions(o: Partial<VerifyOptions> = {}): VerifyOptions {
  let fallbackParser: BodyParser | undefined; // made at the first note parsed
  const cpus = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  return {
    inputDir: o.inputDir ?? process.cwd(),
    splitFrontMatter: o.splitFrontMatter ?? defaultSplitFrontMatter,
    parse: o.parse ?? ((body) => (fallbackParser ??= parserFrom(defaultMarkdown()))(body)),
    parserId: o.parserId ?? (o.parse || o.loadParser ? "custom" : "markdown-it html breaks"),
    loadParser: o.loadParser,
    python: o.python ?? "python3",
    // four workers a core: a sandboxed session spends most of its time waiting on the kernel (namespaces made and
    // torn down), not on the CPU; 2 → 8 workers took a cold verify of 500 notes from 32.5 s to 19.5 s here (issue 16)
    jobs: o.jobs && o.jobs > 0 ? o.jobs : cpus * 4,
    timeout: o.timeout ?? 10,
    noteTimeout: o.noteTimeout ?? 120,
    outputCap: o.outputCap ?? 1024 * 1024,
    memoryMb: o.memoryMb ?? 1024,
    maxProcesses: o.maxProcesses ?? 128,
    cacheDir: o.cacheDir === undefined ? ".cache/snippets" : o.cacheDir,
    sandbox: o.sandbox ?? "bwrap",
    diskMb: o.diskMb ?? 256,
    hide: o.hide ?? [],
    imports: { ...DEFAULT_IMPORTS, ...(o.imports ?? {}) },
    compileC: o.compileC ?? true,
    onProgress: o.onProgress,
  };
}

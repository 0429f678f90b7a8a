// A build's rendered notes as the site model keeps them: the small values in memory, each note's HTML in the body
// store (body-store.ts), and the extensions (snippets) run over them, one note's HTML at a time.
import type { Diagnostic, HexoConfig } from "./types.ts";
import type { ParsedNote } from "./notes.ts";
import type { RenderedNote } from "./render.ts";
import type { BodyRef, BodyStore } from "./body-store.ts";
import type { GeneratedFile, NoteForExtension, NotesExtension } from "./extensions.ts";
import { urlFor } from "./permalink.ts";

/** A rendered note without its HTML, which is in the store; nothing in it shares memory with the note's text. */
export interface StoredNote extends Omit<RenderedNote, "html"> {
  body: BodyRef;
}

/** Stores a rendered note's HTML and keeps the rest (the renderer hands out values that share nothing with the note). */
export function storeRendered(out: RenderedNote, bodies: BodyStore): StoredNote {
  const { html, ...rest } = out;
  return { ...rest, body: bodies.put(html) };
}

export interface FinishedExtensions {
  /** Each note's final HTML, by source (the rendered HTML as the extensions rewrote it). */
  bodies: Map<string, BodyRef>;
  notices: Map<string, string[]>;
  files: GeneratedFile[];
  data: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

/** Runs each extension's `finish` over the rendered notes and gathers what they give back. */
export async function finishExtensions(
  extensions: NotesExtension[],
  stored: Map<ParsedNote, StoredNote>,
  config: HexoConfig,
  store: BodyStore,
): Promise<FinishedExtensions> {
  const bodies = new Map([...stored].map(([note, out]) => [note.source, out.body]));
  const notices = new Map<string, string[]>();
  const files: FinishedExtensions["files"] = [];
  const data: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  for (const ext of extensions) {
    if (!ext.finish) continue;
    const notes: NoteForExtension[] = [...stored].map(([note, out]) => {
      const view = {
        source: note.source,
        abs: note.abs,
        route: note.route,
        url: urlFor(note.path, config),
        title: note.title,
        lang: note.lang ?? config.language,
        collected: out.collected[ext.name],
      };
      // Read when asked for: most extensions look at a few notes' HTML, or at each one once.
      return Object.defineProperty(view, "html", { get: () => store.get(bodies.get(note.source)!), enumerable: true }) as NoteForExtension;
    });
    const result = await ext.finish(notes);
    if (result.html || result.rewriteHtml) {
      for (const source of bodies.keys()) {
        const replaced = result.html?.[source];
        const before = replaced ?? (result.rewriteHtml ? store.get(bodies.get(source)!) : undefined);
        const after = before !== undefined && result.rewriteHtml ? result.rewriteHtml(source, before) : before;
        if (after !== undefined && (replaced !== undefined || after !== before)) bodies.set(source, store.put(after));
      }
    }
    for (const [source, value] of Object.entries(result.notices ?? {})) notices.set(source, [...(notices.get(source) ?? []), value]);
    files.push(...(result.files ?? []));
    if (result.data !== undefined) data[ext.name] = result.data;
    diagnostics.push(...(result.diagnostics ?? []));
  }
  return { bodies, notices, files, data, diagnostics };
}

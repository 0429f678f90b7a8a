// TypeScript blocks on a node that cannot strip types itself (before 22.6): where the typescript package is
// installed, it removes the types and the block runs as JavaScript. Loaded only when a note has a ts block.
// It is not quite node's own stripping: it also turns enums, namespaces and parameter properties into
// JavaScript (node's strip-only mode refuses them), and an error's line number is the JavaScript's, which
// moves up where the block declared an interface or a type.

import { packageVersion } from "../../hexo/code-digest.ts";

export type TypeStripper = (code: string) => { ok: true; code: string } | { ok: false; message: string; line: number | null };

/** The installed typescript package's version, or "" (read from its package.json: nothing is loaded). */
export function typescriptVersion(): string {
  return packageVersion("typescript");
}

/** A stripper backed by typescript's transpileModule (types removed, nothing checked), or null when it is not installed. */
export async function loadTypeStripper(): Promise<TypeStripper | null> {
  let ts: typeof import("typescript");
  try {
    const mod = (await import("typescript")) as typeof import("typescript") & { default?: typeof import("typescript") };
    ts = mod.default ?? mod;
  } catch {
    return null;
  }
  return (code) => {
    const out = ts.transpileModule(code, {
      reportDiagnostics: true,
      // imports and requires stay as written: the block runs as the .mjs or .cjs its syntax asks for
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Preserve, removeComments: false },
    });
    const d = out.diagnostics?.[0];
    if (d) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : null;
      return { ok: false, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), line };
    }
    return { ok: true, code: out.outputText };
  };
}

// How the compiler is called on a note's C/C++ (snippets-spec.md §4b): the usual headers a reader assumes, the
// language standard, the include folders, and the command line for a unit (with or without the precompiled header).
import path from "node:path";
import type { CxxUnit } from "./unit.ts";

/** Defined by the precompiled header, so that a unit includes the usual headers itself only without it. */
export const PRELUDE_MACRO = "VERINOTES_PRELUDE";

/**
 * What a reader of a C++ note assumes: the whole standard library (`<bits/stdc++.h>`, as competitive-programming
 * notes write) and the common POSIX headers (socket and file-descriptor excerpts).
 */
const USUAL_HEADERS: Record<"c" | "cpp", string[]> = {
  cpp: ["bits/stdc++.h", "unistd.h", "fcntl.h", "sys/types.h", "sys/stat.h", "sys/socket.h", "sys/wait.h", "netinet/in.h", "arpa/inet.h", "pthread.h"],
  c: [
    "stdio.h", "stdlib.h", "string.h", "math.h", "stdbool.h", "stdint.h", "stddef.h", "ctype.h", "limits.h", "float.h",
    "time.h", "assert.h", "errno.h", "stdarg.h", "signal.h", "unistd.h", "fcntl.h", "sys/types.h", "sys/stat.h",
    "sys/socket.h", "sys/wait.h", "netinet/in.h", "arpa/inet.h", "pthread.h",
  ],
};

/** gnu++17 / gnu11: the compilers' own defaults, what the authors compiled with (VLAs, POSIX names visible). */
const STD: Record<"c" | "cpp", string> = { cpp: "-std=gnu++17", c: "-std=gnu11" };

/** Where Debian puts the headers of libraries whose namespaces notes use (harmless when absent). */
const EXTRA_INCLUDE_DIRS = ["/usr/include/opencv4", "/usr/include/eigen3"];

export function preludeIncludes(lang: "c" | "cpp"): string {
  return USUAL_HEADERS[lang].map((h) => `#include <${h}>\n`).join("");
}

/** The text of the precompiled header (also what a unit includes when no precompiled header is given). */
export function pchHeaderText(lang: "c" | "cpp"): string {
  return `// Verinotes: the usual headers of a ${lang === "c" ? "C" : "C++"} note, precompiled once.\n#define ${PRELUDE_MACRO} 1\n${preludeIncludes(lang)}`;
}

/** The compiler's command line (argv[0] is the compiler) for a unit written to `unit.file` in the working folder. */
export function compilerArgs(unit: CxxUnit, compiler: string, pch?: { include: string }): string[] {
  const clang = /clang/.test(path.basename(compiler));
  return [
    compiler,
    "-fsyntax-only",
    "-x",
    unit.lang === "c" ? "c" : "c++",
    STD[unit.lang],
    "-w",
    ...(clang ? ["-fno-color-diagnostics", "-fno-caret-diagnostics"] : ["-fdiagnostics-plain-output", "-fno-diagnostics-color"]),
    ...EXTRA_INCLUDE_DIRS.flatMap((d) => ["-isystem", d]),
    ...(pch ? ["-include", pch.include] : []),
    unit.file,
  ];
}

/** Flags the precompiled header is built with; a unit must use the same ones (compilerArgs) for GCC to take it. */
export function pchFlags(lang: "c" | "cpp"): string[] {
  return ["-x", lang === "c" ? "c-header" : "c++-header", STD[lang], "-w", ...EXTRA_INCLUDE_DIRS.flatMap((d) => ["-isystem", d])];
}


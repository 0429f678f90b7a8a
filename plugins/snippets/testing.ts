// Test helpers: notes written as their fenced blocks, for the verifier's tests.

/** A fenced block and the blank line after it: `block("python timeout=3", "import os", …)`; `block("", "2 4")` is an output block. */
export const block = (info: string, ...lines: string[]): string => ["```" + info, ...lines, "```", ""].join("\n");

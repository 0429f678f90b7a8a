// Shell transcripts written as ```bash or ```sh: only the commands after `$ ` are highlighted, never their output.
import { describe, expect, it } from "vitest";
import { highlightCode } from "./highlight.ts";

describe("transcripts in bash and sh blocks", () => {
  const transcript = "$ python prog.py 1 2\nif then done\n$ ls -la\nfor x in 1\n";
  it.each(["bash", "sh", "zsh", "console", "shell"])("%s: output lines are plain text, the prompt is marked", (lang) => {
    const html = highlightCode(transcript, lang);
    expect(html).toContain("\nif then done\n");
    expect(html).toContain("\nfor x in 1\n");
    expect(html).toContain('<span class="hljs-meta prompt_">$ </span>');
    expect(html).toContain('<span class="hljs-built_in">ls</span>');
  });
  it("a transcript may start with a comment line", () => {
    const html = highlightCode("# in the project folder\n$ ls\nif then\n", "bash");
    expect(html).toContain("\nif then\n");
  });
  it("a bash script without a prompt is highlighted as bash", () => {
    expect(highlightCode("for x in 1; do echo $x; done\n", "bash")).toContain('<span class="hljs-keyword">for</span>');
  });
});

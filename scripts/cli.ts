#!/usr/bin/env node
// The `verinotes` command of the package: `npx verinotes build` in a Hexo blog's folder builds it into ./_site.
// Each subcommand is the module behind the repository's `npm run <script>`, so both take the same options.
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../plugins/site/package-paths.ts";

const COMMANDS: Record<string, { about: string; run: (argv: string[]) => Promise<number | undefined> }> = {
  build: { about: "build the site into _site/ (--output <folder>)", run: async (argv) => (await import("./build.ts")).main(argv) },
  serve: { about: "build, serve at http://localhost:8080/ and rebuild as you edit", run: async (argv) => (await import("./build.ts")).main(["--serve", ...argv]) },
  verify: { about: "run the notes' code without building; exits 1 when a snippet failed", run: async (argv) => (await import("./verify.ts")).main(argv) },
  check: { about: "check every link, anchor, image and download of a built site (default _site)", run: async (argv) => (await import("./check.ts")).main(argv) },
  new: { about: 'create a note in source/_posts, like `hexo new` ("Title")', run: async (argv) => (await import("./new.ts")).main(argv) },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.about}`);
  return [
    "usage: verinotes <command> [options]   (in a Hexo blog's folder, or with --hexo <blog> / --input <notes>)",
    ...lines,
    "`verinotes <command> --help` lists a command's options.",
  ].join("\n");
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

const [name, ...argv] = process.argv.slice(2);
if (name === undefined || name === "--help" || name === "-h" || name === "help") {
  console.log(usage());
  process.exitCode = name === undefined ? 2 : 0;
} else if (name === "--version" || name === "-v") {
  console.log(version());
} else if (!(name in COMMANDS)) {
  console.error(`verinotes: no command ${name}\n${usage()}`);
  process.exitCode = 2;
} else {
  COMMANDS[name].run(argv).then(
    (code) => {
      // verify ends its worker pool; a build may leave Eleventy's handles open: exit once done, as `npm run` does
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => {
      console.error(`verinotes ${name}: ${error instanceof Error ? error.message : error}`);
      process.exit(2);
    },
  );
}

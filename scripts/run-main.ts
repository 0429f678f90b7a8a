// Each command module (build, verify, check, new) runs when it is the script node was started with (`npm run
// build` → tsx scripts/build.ts), and is only imported when the `verinotes` command dispatches to it.
import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** Whether the module at `moduleUrl` is the script this process was started with (symlinks resolved). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return fs.realpathSync(entry) === fs.realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

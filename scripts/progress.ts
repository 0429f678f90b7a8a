// Progress of long work on stderr, for the command-line scripts: a bar redrawn in place on a terminal, a line
// at each tenth elsewhere (CI logs keep every line, so they get few).

export interface ProgressOptions {
  /** Print nothing. */
  quiet?: boolean;
  /** Stay silent unless the work is still going this many ms after its first step (a warm run finishes without a word). */
  after?: number;
  /** Where the text goes (default: stderr), whether it is a terminal, and the clock: tests pass their own. */
  write?: (text: string) => void;
  tty?: boolean;
  now?: () => number;
}

/** `(done, total, item)` callback that prints `label: done/total …`. */
export function progressPrinter(label: string, options: ProgressOptions = {}): (done: number, total: number, item: string) => void {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const tty = options.tty ?? (!!process.stderr.isTTY && !process.env.CI);
  const now = options.now ?? Date.now;
  let started: number | undefined;
  let shown = false;
  let lastTenth = -1;
  let lastDraw = 0;
  return (done, total, item) => {
    if (options.quiet || total === 0) return;
    started ??= now();
    const finished = done >= total;
    if (!shown && (finished || now() - started < (options.after ?? 0))) return;
    shown = true;
    if (tty) {
      if (!finished && now() - lastDraw < 80) return;
      lastDraw = now();
      const width = 30;
      const fill = Math.round((done / total) * width);
      const name = item.length > 40 ? `…${item.slice(-39)}` : item;
      write(`\r\x1b[2K${label}: [${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${total} ${name}`);
      if (finished) write("\r\x1b[2K");
    } else {
      const tenth = Math.floor((done / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      write(`${label}: ${done}/${total} notes (${tenth * 10}%)\n`);
    }
  };
}

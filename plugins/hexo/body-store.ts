// Where the notes' rendered HTML waits between being rendered and being printed on its page: a page's body is read
// once or twice (by the layout, by extensions), but held in memory it was the largest thing a build kept: 16 KB a
// note as JavaScript strings (CJK text makes a string two bytes a character), three copies of it by the time the
// pages were written (issue 16). The file store keeps the bodies in one temporary file instead, removed from its
// folder as soon as it is open, so that nothing is left behind even when the build is killed.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A stored body: where it is, and the digest of its text (what incremental builds compare). */
export interface BodyRef {
  readonly at: number;
  readonly bytes: number;
  readonly digest: string;
}

export interface BodyStore {
  put(html: string): BodyRef;
  get(ref: BodyRef): string;
  /** Frees the store; a body asked for afterwards is an error. */
  close(): void;
}

const digestOf = (html: string) => createHash("sha1").update(html).digest("hex");

/** Bodies kept as they are, in memory: for tests and for callers that build a model without Eleventy. */
export function memoryBodyStore(): BodyStore {
  let bodies: string[] | null = [];
  return {
    put(html) {
      bodies!.push(html);
      return { at: bodies!.length - 1, bytes: html.length, digest: digestOf(html) };
    },
    get(ref) {
      if (!bodies) throw new Error("the notes' bodies were asked for after the build ended");
      return bodies[ref.at];
    },
    close() {
      bodies = null;
    },
  };
}

/** Bodies in one temporary file in `dir` (the system's temporary folder by default), as UTF-8. */
export function fileBodyStore(dir = os.tmpdir()): BodyStore {
  const file = path.join(dir, `verinotes-bodies-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
  let fd: number | null = fs.openSync(file, "wx+", 0o600);
  let removed = false;
  try {
    fs.unlinkSync(file); // open files outlive their name (not on Windows: removed at close instead)
    removed = true;
  } catch {
    /* removed at close */
  }
  let end = 0;
  // The body read last: Nunjucks reads a page's `post.html` twice (its member lookup asks whether the value is a
  // function, then takes it), which read and decoded every body twice (0.35 s of a 1,000-note build's 17 s).
  let last: { at: number; bytes: number; html: string } | undefined;
  return {
    put(html) {
      const bytes = Buffer.from(html);
      fs.writeSync(fd!, bytes, 0, bytes.length, end);
      const ref = { at: end, bytes: bytes.length, digest: createHash("sha1").update(bytes).digest("hex") };
      end += bytes.length;
      return ref;
    },
    get(ref) {
      if (fd === null) throw new Error("the notes' bodies were asked for after the build ended");
      if (last && last.at === ref.at && last.bytes === ref.bytes) return last.html; // the file only grows: one offset, one body
      const bytes = Buffer.allocUnsafe(ref.bytes);
      let read = 0;
      while (read < ref.bytes) {
        const n = fs.readSync(fd, bytes, read, ref.bytes - read, ref.at + read);
        if (n === 0) throw new Error("the notes' bodies file was cut short");
        read += n;
      }
      last = { at: ref.at, bytes: ref.bytes, html: bytes.toString("utf8") };
      return last.html;
    },
    close() {
      last = undefined;
      if (fd === null) return;
      fs.closeSync(fd);
      fd = null;
      if (!removed) fs.rmSync(file, { force: true });
    },
  };
}

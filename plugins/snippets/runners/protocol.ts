// What the node side sends to the python worker (one note session) and what comes back (one line per block).

export interface SessionLimits {
  /** Seconds for the whole session. */
  noteTimeout: number;
  memoryMb: number;
  outputCap: number;
  cpuSeconds: number;
}

export interface SessionFile {
  name: string;
  text: string;
}

export type StepJob =
  | { op: "py"; i: number; code: string; timeout: number; check?: boolean }
  | { op: "repl"; i: number; examples: { source: string }[]; timeout: number; check?: boolean }
  | {
      op: "sh";
      i: number;
      /** `needs`: files the command runs or reads; missing from the sandbox when it comes to run, the block is unresolved. */
      commands: { cmd: string; programs: string[]; needs?: string[] }[];
      timeout: number;
      check?: boolean;
      /** Python files the commands run, whose imports are checked. */
      pyFiles?: string[];
    }
  | { op: "script"; i: number; lang: "shell" | "node"; code: string; timeout: number; check?: boolean; ext?: string; nodeArgs?: string[] };

export interface SessionJob {
  limits: SessionLimits;
  /** Names the reader supplies an import for (§4b): alias → module ("np" → "numpy"). */
  imports?: Record<string, string>;
  files: SessionFile[];
  steps: StepJob[];
}

export interface CompileError {
  message: string;
  line: number | null;
  text: string;
}

export interface RunRaw {
  output: string;
  nameError?: string;
  exit: number;
  exc?: string;
  timedOut?: boolean;
  truncated?: boolean;
  ms?: number;
  compileError?: CompileError;
  notRun?: boolean;
}

export interface CommandRaw {
  output: string;
  rc: number;
  timedOut?: boolean;
  truncated?: boolean;
  notRun?: boolean;
  ms?: number;
}

/** A name a block needed and did not have (NameError), and where the note binds it. */
export interface UnboundName {
  name: string;
  /** The latest earlier block that binds it (absent: none does). */
  boundBy: number | null;
  /** That block ran to its end. */
  ran?: boolean;
  /** Only a later block binds it. */
  later?: boolean;
  /** A name of the note it is a typo of. */
  typo?: string;
}

/** One block's raw result. Which fields are present depends on the step. */
/**
 * How a block's error begins when the session's process limit was full of the note's own processes (a fork bomb's
 * children): the note's doing, not the verifier's. The worker's session.py writes it (NO_PROCESS there).
 */
export const NO_PROCESS = "could not start a process";

export interface StepRaw {
  i: number;
  /** Imports supplied before it ran (§4b). */
  assumed?: string[];
  unbound?: UnboundName;
  /** The session limit that stopped it (memory, output). */
  limit?: string;
  /** Versions of the libraries (not the standard library) the block imported or was given. */
  versions?: Record<string, string>;
  /** The harness stopped the block (timeout of the block or of the note, crash). */
  killed?: string;
  error?: string;
  compileError?: CompileError;
  missing?: string[];
  unresolved?: string[];
  /** bash -n message ("" when fine). */
  syntax?: string;
  output?: string;
  exit?: number;
  exc?: string;
  timedOut?: boolean;
  truncated?: boolean;
  ms?: number;
  examples?: RunRaw[];
  commands?: CommandRaw[];
}

import { matchingParen, splitTopLevel } from "./judge.ts";

// How a reader reads a block that does not run as-is (snippets-spec.md §4b): a signature or a template is not a
// program, Python 2 is Python 2, a network error or the author's machine is not the note's fault. Pure: text in,
// a reading out; decide.ts applies it.

/** A call or definition signature with no body: `torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, ...)`, `def f(a, *, b) -> int`. */
export function isSignature(text: string): boolean {
  // a list of headers from the documentation (`class Conv2d(_ConvNd):` / `class _ConvND(Module):`), one a line
  const lines = text.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  if (lines.length > 1 && lines.every((l) => /^\s*(async\s+def|def|class)\s/.test(l) && isSignature(l))) return true;
  const code = text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"))
    .join(" ")
    .trim();
  if (!code || code.length > 2000) return false;
  // documentation styles: PyTorch's `CLASS torch.nn.Conv2d(…)`, OpenCV's optional `[, dst[, fx]]` and `-> retval`, `→ Tensor`
  const doc = code
    .replace(/^CLASS\s+/, "")
    .replace(/\s*(->|→)\s*[\w.\[\], ]+$/, "")
    .replace(/\[\s*,/g, ",")
    .replace(/\]+(?=\s*\))/g, "");
  if (doc !== code) return isSignature(doc) || (/\[\s*,|->|→/.test(code) && isCallOfNames(doc));
  // def or class without a body: after its parameters' closing parenthesis, only `-> T` and a colon
  const header = /^(?:(?:async\s+)?def\s+[A-Za-z_]\w*\s*|class\s+[A-Za-z_]\w*\s*)\(/.exec(code);
  if (header) {
    const close = matchingParen(code, header[0].length - 1);
    if (close > 0 && /^\s*(->\s*[^:]+)?:?\s*$/.test(code.slice(close + 1))) return true;
  }
  if (/^class\s+[A-Za-z_]\w*\s*:?$/.test(code)) return true;
  // one call of a (dotted) name whose arguments are parameter names, defaults, *, /, ... — no statements
  const m = /^([A-Za-z_][\w.]*)\s*\((.*)\)\s*(->\s*\S.*)?$/s.exec(code);
  if (!m || matchingParen(`(${m[2]})`, 0) !== m[2].length + 1) return false;
  const params = splitTopLevel(m[2]).map((p) => p.trim());
  if (!params.length || !params.every((p) => /^(\*{0,2}[A-Za-z_]\w*(\s*:\s*[^=]+)?(\s*=\s*.+)?|\*|\/|\.\.\.)$/s.test(p))) return false;
  // what tells a signature from a call: `...`, a bare `*` or `/`, annotations, or several parameters with defaults
  const marked = params.some((p) => p === "..." || p === "*" || p === "/" || /^\*{0,2}\w+\s*:/.test(p));
  return marked || (params.length >= 3 && params.some((p) => p.includes("=")));
}

/** `name(a, b, c)`: a call whose arguments are all bare names (with the documentation marks removed, a signature). */
function isCallOfNames(code: string): boolean {
  const m = /^([A-Za-z_][\w.]*)\s*\((.*)\)$/s.exec(code.trim());
  return !!m && matchingParen(`(${m[2]})`, 0) === m[2].length + 1 && splitTopLevel(m[2]).every((p) => /^\*{0,2}[A-Za-z_]\w*(\s*=\s*.+)?$/s.test(p.trim()));
}

/**
 * Calls written as their forms, a line each: `type(name, bases, attrs)`, `operator.lt(a, b)` — every argument a bare
 * name, two or more of them. Read as a signature when the block stops at one of those names (decide.ts): a call of
 * one name (`print(nmae)`) is left to the excerpt and typo rules.
 */
export function isCallForms(text: string, unbound: string): boolean {
  const lines = text.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  return (
    lines.length > 0 &&
    lines.every((l) => {
      const m = /^\s*[A-Za-z_][\w.]*\s*\((.*)\)\s*$/.exec(l);
      if (!m || !isCallOfNames(l.trim())) return false;
      const args = splitTopLevel(m[1]).map((p) => p.trim());
      return args.length >= 2 && args.every((p) => /^[A-Za-z_]\w*$/.test(p));
    }) &&
    lines.some((l) => new RegExp(`[(,]\\s*${unbound}\\s*[,)]`).test(l))
  );
}

/** A `javascript` block that is JSON (an object or array that parses): a config file's content (`.babelrc`), not a program. */
export function isJsonContent(text: string): boolean {
  const t = text.trim();
  if (!/^[{[]/.test(t)) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** `pip install <package>`, `open("<path/to/file>")`: a template with placeholders, not code to run. */
export function hasPlaceholders(text: string): boolean {
  // not a repr (`<__main__.Foo object at 0x…>`, `<stdin>`, `<module>`) nor a C++ template argument
  const REPR = /^(stdin|module|lambda|genexpr|listcomp|dictcomp|setcomp|locals|string|frozen|built-in|class|function|input|unknown|bound)\b|__|object at|\d/;
  // only for a block that does not parse or stops at an unknown name, so HTML in a string is no concern
  const stripped = text.replace(/<<-?\s*['"]?\w+['"]?/g, "");
  return [...stripped.matchAll(/<((?:[A-Za-z_][\w-]*(?:[ /.][\w-]+)*|\.\.\.))>/g)].some((m) => !REPR.test(m[1]));
}

/** Code or output only Python 2 produces (§4b): `print x`, `<type 'int'>`, `u'…'` reprs, `except E, e`. */
export function python2Sign(text: string): string | null {
  if (/<type '[\w.]+'>/.test(text)) return "<type '…'>";
  if (/^\s*print\s+[^\s(=]/m.test(text) && !/^\s*print\s*\(/m.test(text)) return "print statement";
  if (/^\s*except\s+[\w.]+\s*,\s*\w+\s*:/m.test(text)) return "except E, e";
  return null;
}

/** Compiler messages that mean Python 2 code. */
export function python2Compile(message: string): boolean {
  return /Missing parentheses in call to '(print|exec)'|multiple exception types must be parenthesized/.test(message);
}

/** Tracebacks in the note with frames `in ?`: typed by hand or from Python ≤ 2.4, never pasted from a Python 3 session. */
export function handWrittenTraceback(expected: string): boolean {
  return /^\s*File "[^"]*", line \d+, in \?\s*$/m.test(expected);
}

/** An exception that means the block needs the network the sandbox withholds. */
export function networkError(text: string): boolean {
  return /\b(socket\.gaierror|gaierror|ConnectionRefusedError|ConnectionError|NewConnectionError|MaxRetryError|URLError|Temporary failure in name resolution|Name or service not known|Network is unreachable|nodename nor servname)\b/.test(
    text,
  );
}

const HOST_PROGRAMS = new Set(
  (
    "uname df du free lscpu lsblk lspci lsusb nvidia-smi nvcc hostname hostnamectl whoami id groups uptime ps top htop env printenv " +
    "ulimit which whereis type date locale ifconfig ip netstat ss mount lsof who w last history sw_vers systeminfo ver lsb_release " +
    "conda brew apt apt-get dpkg rpm yum snap service systemctl journalctl docker kubectl"
  ).split(" "),
);
const NETWORK_PROGRAMS = new Set("curl wget ping ssh scp sftp rsync nslookup dig host telnet nc ftp traceroute".split(" "));

/**
 * Whether a transcript command shows the author's machine rather than what the note made (§4b): `git log` in the
 * author's repository (unless an earlier command made one: `git init`, `git clone`), paths outside the session
 * (`ls /dev`, `cat /etc/os-release`, `~`), system tools (`ulimit -a`, `which`, `uname`, `pip list`), a tool's
 * `--version`, `pwd`; "network" for commands that need the network.
 */
export function hostCommand(cmd: string, earlier: string[]): "host" | "network" | null {
  const words = cmd.trim().split(/\s+/);
  let k = 0;
  // `VAR=x cmd`, `sudo cmd`, `env VAR=x cmd`: the command is what follows (a bare `env` shows the machine)
  while (k < words.length && (/^[A-Za-z_]\w*=/.test(words[k]) || words[k] === "sudo" || (words[k] === "env" && k + 1 < words.length))) k++;
  const prog = (words[k] ?? "").replace(/^.*\//, "");
  const args = words.slice(k + 1);
  if (!prog) return null;
  if (NETWORK_PROGRAMS.has(prog)) return "network";
  if (prog === "git") {
    const sub = args.find((a) => !a.startsWith("-")) ?? "";
    if (["clone", "fetch", "pull", "push", "ls-remote"].includes(sub)) return "network";
    const made = earlier.some((e) => /\bgit\s+(init|clone)\b/.test(e));
    return made ? null : "host";
  }
  if (/^(pip\d*|python\d*(\.\d+)?|npm|yarn|conda)$/.test(prog) && /\b(install|download|search|update|upgrade)\b/.test(args.join(" "))) return "network";
  if (/^pip\d*$/.test(prog) && /\b(list|freeze|show|--version|-V)\b/.test(args.join(" "))) return "host";
  if (HOST_PROGRAMS.has(prog) || prog === "pwd") return "host";
  if (args.length === 1 && /^(--version|-version|-V|-v|version)$/.test(args[0])) return "host";
  const hostPath = (a: string) => /^(~|\$HOME|\/(etc|dev|proc|sys|usr|opt|home|root|var|mnt|Users|Applications)\b)/.test(a) && !/^\/dev\/(null|zero|stdout|stderr|stdin|urandom|random|fd\/)/.test(a);
  if (args.filter((a) => !/^[<>]|^\d[<>]/.test(a)).some(hostPath)) return "host";
  return null;
}

/** A block that is the inside of a function (`yield` or `return` at its top level): part of a larger program. */
export function functionBodyFragment(message: string): boolean {
  return /'(yield|return|await)' outside (async )?function/.test(message);
}

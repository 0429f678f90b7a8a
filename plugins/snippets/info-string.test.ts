import { describe, expect, it } from "vitest";
import { parseInfoString } from "./info-string.ts";

describe("parseInfoString", () => {
  it("reads the language word alone", () => {
    const i = parseInfoString("python");
    expect(i).toMatchObject({ rawLang: "python", lang: "python", attrs: {}, flags: [], unknownKeys: [] });
    expect(i.name).toBeUndefined();
  });

  it("canonicalises aliases", () => {
    expect(parseInfoString("py").lang).toBe("python");
    expect(parseInfoString("c++").lang).toBe("cpp");
    expect(parseInfoString("yml").lang).toBe("yaml");
    expect(parseInfoString("JS").lang).toBe("javascript");
    expect(parseInfoString("").lang).toBe("");
  });

  it("reads quoted and bare values, flags and the full example of the spec", () => {
    const i = parseInfoString('python title="prog.py" skip timeout=30 {.numberLines data-x="a b"} [other]');
    expect(i.lang).toBe("python");
    expect(i.attrs.title).toBe("prog.py");
    expect(i.attrs.timeout).toBe("30");
    expect(i.attrs["data-x"]).toBe("a b");
    expect(i.flags).toEqual(["skip"]);
    expect(i.name).toBe("prog.py"); // title wins over [name]
    expect(i.unknownKeys).toEqual(["data-x"]);
  });

  it("accepts file=, filename= and [name] as the block's name", () => {
    expect(parseInfoString("python file=prog.py").name).toBe("prog.py");
    expect(parseInfoString("python filename='a b.py'").name).toBe("a b.py");
    expect(parseInfoString("python [prog.py]").name).toBe("prog.py");
    expect(parseInfoString("python[prog.py]").name).toBe("prog.py");
  });

  it("keeps escaped quotes inside values", () => {
    expect(parseInfoString('bash title="say \\"hi\\".sh"').name).toBe('say "hi".sh');
  });

  it("reports unknown keys and flags as warnings, never errors", () => {
    const i = parseInfoString("python colour=red shiny run");
    expect(i.unknownKeys).toEqual(["colour", "shiny"]);
    expect(i.flags).toEqual(["shiny", "run"]);
    expect(i.attrs.colour).toBe("red");
  });

  it("reads Pandoc groups with a class as the language", () => {
    const i = parseInfoString('{.python title="x.py" norun}');
    expect(i.lang).toBe("python");
    expect(i.name).toBe("x.py");
    expect(i.flags).toEqual(["norun"]);
  });

  it("takes VitePress line highlights as display attributes", () => {
    const i = parseInfoString("js{1,4-6}");
    expect(i.lang).toBe("javascript");
    expect(i.attrs.highlight).toBe("1,4-6");
    expect(i.unknownKeys).toEqual([]);
  });

  it("treats a file name as the language word as name + language", () => {
    const i = parseInfoString("settings.json");
    expect(i.lang).toBe("json");
    expect(i.name).toBe("settings.json");
    expect(parseInfoString(".vimrc").lang).toBe(".vimrc");
  });

  it("reads session, exit and strict", () => {
    const i = parseInfoString('console strict session="b" exit=2');
    expect(i.lang).toBe("console");
    expect(i.flags).toEqual(["strict"]);
    expect(i.attrs).toEqual({ session: "b", exit: "2" });
  });
});

// The remembered interpreter: reused only while nothing that picks it changed; what it can import is looked at every run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { environmentFingerprint, probePythonRemembered, selectionKey } from "./runners/known-python.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-known-python-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the remembered python", () => {
  it("keys the choice of interpreter by the command, PATH, the folder and pyenv's settings", () => {
    const env = { PATH: "/usr/bin:/bin" };
    const key = selectionKey("python3", env, dir);
    expect(selectionKey("python3", env, dir)).toBe(key);
    expect(selectionKey("python3.12", env, dir)).not.toBe(key);
    expect(selectionKey("python3", { PATH: "/opt/py/bin:/usr/bin:/bin" }, dir)).not.toBe(key);
    expect(selectionKey("python3", { ...env, PYENV_VERSION: "3.12.1" }, dir)).not.toBe(key);
    fs.writeFileSync(path.join(dir, ".python-version"), "3.10.4\n");
    expect(selectionKey("python3", env, dir)).not.toBe(key);
  });

  it("sees a module installed into a folder on the path", () => {
    const site = path.join(dir, "site-packages");
    fs.mkdirSync(site);
    const before = environmentFingerprint([site, "/no/such/folder"]);
    fs.mkdirSync(path.join(site, "torch"));
    expect(environmentFingerprint([site, "/no/such/folder"])).not.toBe(before);
  });

  it("asks the interpreter once, then answers from the cache folder with the same identity", async () => {
    const cache = path.join(dir, "cache");
    const first = await probePythonRemembered("python3", cache);
    expect("error" in first).toBe(false);
    expect(fs.existsSync(path.join(cache, "python-probe.json"))).toBe(true);
    const second = await probePythonRemembered("python3", cache);
    expect(second).toEqual(first);
    // The second answer came from the record: a record marked by hand is what comes back.
    const record = JSON.parse(fs.readFileSync(path.join(cache, "python-probe.json"), "utf8"));
    fs.writeFileSync(path.join(cache, "python-probe.json"), JSON.stringify({ ...record, version: "from the record" }));
    expect(await probePythonRemembered("python3", cache)).toMatchObject({ version: "from the record" });
    // A record whose interpreter changed on disk is not trusted.
    fs.writeFileSync(path.join(cache, "python-probe.json"), JSON.stringify({ ...record, executable: "/no/such/python", version: "0.0" }));
    expect(await probePythonRemembered("python3", cache)).toEqual(first);
  });
});

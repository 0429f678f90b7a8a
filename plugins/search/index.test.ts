import { describe, expect, it } from "vitest";
import { oneAtATime } from "./index.ts";

describe("oneAtATime: reindexing under npm start", () => {
  it("runs one task at a time and collapses the requests made meanwhile into one run of the latest", async () => {
    const runs: string[] = [];
    let release: () => void = () => {};
    const task = (arg: string) => {
      runs.push(arg);
      return new Promise<void>((resolve) => (release = resolve));
    };
    const request = oneAtATime(task);
    const first = request("build 1");
    const second = request("build 2");
    const third = request("build 3");
    expect(runs).toEqual(["build 1"]);
    release();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toEqual(["build 1", "build 3"]);
    release();
    await Promise.all([second, third]);
    expect(second).toBe(third);
    const fourth = request("build 4");
    expect(runs).toEqual(["build 1", "build 3", "build 4"]);
    release();
    await fourth;
  });
});

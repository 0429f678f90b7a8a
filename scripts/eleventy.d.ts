// Eleventy 3 declares no types for its programmatic API (only its config object: `@11ty/eleventy/UserConfig`, read
// from its JSDoc); this is the part of that API the scripts use.
declare module "@11ty/eleventy" {
  interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    runMode?: "build" | "watch" | "serve";
    config?: (eleventyConfig: import("@11ty/eleventy/UserConfig").default) => void | Promise<void>;
  }
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    init(): Promise<void>;
    write(): Promise<unknown>;
    /** `eleventy --to=json`: the pages with their content, nothing written. */
    toJSON(): Promise<unknown>;
    watch(): Promise<void>;
    serve(port?: number): Promise<void>;
    stopWatch(): Promise<void>;
  }
}

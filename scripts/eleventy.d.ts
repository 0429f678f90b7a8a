// Eleventy 3 ships no type declarations; this is the part of its programmatic API the scripts use.
declare module "@11ty/eleventy" {
  interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    runMode?: "build" | "watch" | "serve";
    config?: (eleventyConfig: any) => void | Promise<void>;
  }
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    init(): Promise<void>;
    write(): Promise<unknown>;
    watch(): Promise<void>;
    serve(port?: number): Promise<void>;
    stopWatch(): Promise<void>;
  }
}

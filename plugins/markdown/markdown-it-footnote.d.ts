// markdown-it-footnote 4 ships no type declarations; this is the part Verinotes uses.
declare module "markdown-it-footnote" {
  const footnotePlugin: (md: import("markdown-it").MarkdownIt) => void;
  export default footnotePlugin;
}

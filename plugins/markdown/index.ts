// The Markdown layer's public API. Pure modules: no Eleventy, no I/O at render time.
export { createMarkdown, defaultMarkdownOptions, resolveMarkdownOptions } from "./create-markdown.ts";
export { brLinePlugin } from "./br-line.ts";
export { footnotesPlugin } from "./footnotes.ts";
export { createHeadingIdCounter, headingIdsPlugin, hexoHeadingSlug, inlineTokensText, type HeadingIdsOptions } from "./heading-ids.ts";
export { HEADING_ID_STYLES, createHeadingIdAssigner, githubSlug, isHeadingIdStyle, pandocIdentifier, uslug, type HeadingIdStyle, type HeadingStyleSettings } from "./heading-styles.ts";
export { fenceLanguage, highlightCode, highlightPlugin, renderHighlighted } from "./highlight.ts";
export { classifyImageSrc, imagesPlugin, type ImageSource, type ImagesOptions } from "./images.ts";
export { externalLinksPlugin, linksPlugin, type SourceLink } from "./links.ts";
export { katexAssetsDir, mathPlugin, renderMath } from "./math.ts";
export { quoteChars, smartypants, smartypantsPlugin, type QuoteChars } from "./smartypants.ts";
export { taskListsPlugin } from "./task-lists.ts";
export type { HeadingIdCase, HeadingInfo, ImageSrcResolver, MarkdownEnv, MarkdownOptions } from "./types.ts";
export { inferHeadingIdStyle, internalFragments, type HeadingStyleEvidence } from "./infer-heading-style.ts";
export { blogMarkdownSetup, declaredRenderer, headingIdsLine, rendererMarkdownOptions, type HeadingIdsChoice, type RendererSections } from "./renderer-config.ts";
export { copyPath, imageSize, remoteImageSources, withLocalImages, REMOTE_IMAGES_DIR, type LocalizedImage } from "./remote-images.ts";

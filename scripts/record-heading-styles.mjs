#!/usr/bin/env node
// Records the heading ids the REAL renderers give one test note (tests/fixtures/heading-styles.json), for
// plugins/markdown/heading-styles.test.ts. This script documents how the fixture was made.
//
// Usage: node scripts/record-heading-styles.mjs [hexoRefDir]
//   hexoRefDir (default $HEXO_REF_DIR or /tmp/hexo-ref-ids): a folder OUTSIDE the project with Hexo 8.1.2 and the
//   renderers installed beside it, as ../shared/hexo-reference/README.md says, plus the renderers recorded here:
//     npm i hexo@8.1.2 hexo-renderer-marked hexo-renderer-markdown-it hexo-renderer-markdown-it-plus \
//       hexo-renderer-pandoc hexo-generator-index hexo-generator-archive hexo-generator-category hexo-generator-tag \
//       js-yaml markdown-it-anchor github-slugger
//   and `pandoc` on the PATH (Debian: apt-get install pandoc) for hexo-renderer-pandoc.
// Each renderer runs in ../shared/hexo-reference/harness.js (real Hexo, `deps` naming the renderer); GitHub's style
// has no Hexo renderer, so github-slugger itself slugs the headings' text as GitHub reads it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const harness = path.resolve(projectRoot, '../shared/hexo-reference/harness.js');
const refDir = path.resolve(process.argv[2] || process.env.HEXO_REF_DIR || '/tmp/hexo-ref-ids');
const outFile = path.join(projectRoot, 'tests/fixtures/heading-styles.json');

// Headings where the renderers differ: case, CJK with 、。 and full-width punctuation, code, links, repeats.
const markdown = [
  '# Top Title',
  '## Hello World',
  '## Hello World',
  '## Hello-World',
  '## 深度学习 入门',
  '## C++按值、引用和指针传递',
  '### 快捷键`Ctrl+shift+g`使用google搜索剪贴板 (clipboard) 的内容',
  '### 双击选中单词并将其复制到剪贴板 (clipboard)，使用golden dict搜索',
  '## 1 使用教程',
  '#### 3.1 Vim配置',
  '## torch.nn.Conv2d',
  '## [IntelliJ: Error:java: release version 5](https://stackoverflow.com/q/1)',
  '## What\'s new? (v2.0)',
  '## snake_case and kebab-case',
  '## Docker一直处于"Docker is staring..."界面',
  '## A  -  B',
  '## Русский текст',
  '## 日本語の見出し、句読点。',
  '## 2022 plans',
].join('\n\n') + '\n';

const styles = {
  'markdown-it': { deps: ['hexo-renderer-markdown-it'] },
  'markdown-it-plus': { deps: ['hexo-renderer-markdown-it-plus'] },
  'markdown-it-anchor': { deps: ['hexo-renderer-markdown-it'], config: { markdown: { plugins: ['markdown-it-anchor'] } } },
  pandoc: { deps: ['hexo-renderer-pandoc'] },
  hexo: { deps: ['hexo-renderer-marked'] },
};

function firstIds(html) {
  // markdown-it-anchor and hexo-renderer-markdown-it's anchors both add an id; a browser takes the first.
  return [...html.matchAll(/<h([1-6])((?:\s+[\w-]+="[^"]*")*)\s*>/g)].map((m) => /\sid="([^"]*)"/.exec(m[2])?.[1] ?? '');
}

const recorded = { markdown, renderers: {}, ids: {} };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'heading-styles-'));
for (const [style, { deps, config }] of Object.entries(styles)) {
  const caseFile = path.join(tmp, `${style}.js`);
  const post = `---\ntitle: ids\ndate: 2022-01-03\n---\n${markdown}`;
  fs.writeFileSync(caseFile, `module.exports = ${JSON.stringify({ deps, config: { timezone: 'UTC', ...config }, files: { '_posts/ids.md': post } })};\n`);
  const json = JSON.parse(execFileSync(process.execPath, [harness, caseFile], { env: { ...process.env, HEXO_REF_DIR: refDir, TZ: 'UTC' }, encoding: 'utf8' }));
  const req = createRequire(path.join(refDir, 'node_modules', 'noop.js'));
  recorded.renderers[style] = deps.map((d) => `${d}@${req(`${d}/package.json`).version}`).join(', ');
  recorded.ids[style] = firstIds(json.posts[0].content);
}

// GitHub: github-slugger on each heading's text as GitHub shows it (markup gone, link text kept).
const req = createRequire(path.join(refDir, 'node_modules', 'noop.js'));
const { default: GithubSlugger } = await import(path.join(refDir, 'node_modules/github-slugger/index.js'));
const MarkdownIt = req('markdown-it');
const md = new MarkdownIt({ html: true });
const slugger = new GithubSlugger();
const texts = md.parse(markdown, {}).filter((t) => t.type === 'inline').map((t) => md.renderer.renderInline(t.children, md.options, {}).replace(/<[^>]*>/g, '')
  .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
recorded.renderers.github = `github-slugger@${req('github-slugger/package.json').version}`;
recorded.ids.github = texts.map((t) => slugger.slug(t));

// Renderer options from _config.yml: the HTML each renderer makes of a small note under them.
const optionsNote = [
  "## What's Changed",
  'Line one\nLine two',
  'See https://hexo.io/docs and [ours](https://example.com/x) and [other](https://other.org/y) and [third](https://third.net/z).',
  '![](/images/a.png)',
].join('\n\n') + '\n';
const optionCases = {
  'marked-defaults': { deps: ['hexo-renderer-marked'], config: {} },
  'marked-smartypants-off': { deps: ['hexo-renderer-marked'], config: { marked: { smartypants: false } } },
  'marked-options': {
    deps: ['hexo-renderer-marked'],
    config: { url: 'https://example.com/blog', root: '/blog/', marked: { breaks: false, autolink: false, modifyAnchors: 1, external_link: { enable: true, exclude: ['other.org'] } } },
  },
  'marked-headerIds-off': { deps: ['hexo-renderer-marked'], config: { marked: { headerIds: false } } },
  'markdown-it-options': { deps: ['hexo-renderer-markdown-it'], config: { markdown: { render: { breaks: false, linkify: false, typographer: false }, anchors: { level: 1, case: 1 } } } },
};
recorded.options = { markdown: optionsNote, cases: {} };
for (const [name, { deps, config }] of Object.entries(optionCases)) {
  const caseFile = path.join(tmp, `${name}.js`);
  const post = `---\ntitle: options\ndate: 2022-01-03\n---\n${optionsNote}`;
  fs.writeFileSync(caseFile, `module.exports = ${JSON.stringify({ deps, config: { timezone: 'UTC', ...config }, files: { '_posts/o.md': post } })};\n`);
  const json = JSON.parse(execFileSync(process.execPath, [harness, caseFile], { env: { ...process.env, HEXO_REF_DIR: refDir, TZ: 'UTC' }, encoding: 'utf8' }));
  recorded.options.cases[name] = { config, deps, content: json.posts[0].content };
}

fs.writeFileSync(outFile, `${JSON.stringify(recorded, null, 1)}\n`);
console.log(`wrote ${path.relative(projectRoot, outFile)}:`, Object.fromEntries(Object.entries(recorded.ids).map(([k, v]) => [k, v.length])));

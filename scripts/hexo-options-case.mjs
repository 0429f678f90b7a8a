#!/usr/bin/env node
// A small Hexo site exercising config options the tom89757 corpus does not use, run through the
// REAL Hexo 8.1.2; writes the case (config + file texts) and Hexo's outputs to
// tests/fixtures/hexo-options-case.json so a test can rebuild the same site with Verinotes and compare.
//
// Usage:
//   TZ=UTC node scripts/hexo-options-case.mjs [hexoDir] [outFile]
//   env: HEXO_REF_DIR (default /tmp/hexo-ref), OUT (default tests/fixtures/hexo-options-case.json)
// hexoDir: see scripts/record-hexo-reference.mjs (hexo@8.1.2 + hexo-renderer-marked + the four
// default generators installed outside the project). The site is built in a temp dir.

process.env.TZ = process.env.TZ || 'UTC';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hexoDir = path.resolve(process.argv[2] || process.env.HEXO_REF_DIR || '/tmp/hexo-ref');
const outFile = path.resolve(projectRoot, process.argv[3] || process.env.OUT || 'tests/fixtures/hexo-options-case.json');
const PLUGINS = ['hexo-renderer-marked', 'hexo-generator-index', 'hexo-generator-archive', 'hexo-generator-category', 'hexo-generator-tag'];

// ---- the case -------------------------------------------------------------------------------
// _config.yml is written verbatim; every key not listed keeps Hexo's default
// (timezone '' = machine TZ, which is UTC for the recording).
const configYaml = `title: Options case
url: http://example.com
language: en
permalink: :year/:month/:day/:title/
new_post_name: :year-:month-:day-:title.md
per_page: 2
pagination_dir: seite
category_dir: cat
tag_dir: tags
archive_dir: archives
render_drafts: false
future: true
default_category: uncategorized
category_map:
  深度学习: deep-learning
  Frontend: front-end
tag_map:
  C++: cpp
  Node.js: nodejs
theme: none
`;

const files = {
  // plain list of categories = ONE hierarchy Tech > Web > Frontend (category_map renames Frontend's slug)
  '_posts/2023-01-15-nested-cats.md': `---
title: Nested categories
date: 2023-01-15 10:00:00
categories:
  - Tech
  - Web
  - Frontend
tags:
  - JS
  - Hello World
---
## Intro

Text.
`,
  // list of lists: independent hierarchies (Tech > Backend, Life) plus a scalar one (Misc)
  '_posts/2023-02-01-list-of-lists.md': `---
title: List of lists
date: 2023-02-01 09:30:00
categories:
  - [Tech, Backend]
  - [Life]
  - Misc
tags: [Node.js, JS]
---
Body.
`,
  // category_map / tag_map
  '_posts/2023-02-10-mapped.md': `---
title: Mapped names
date: 2023-02-10 20:15:00
categories: 深度学习
tags: [C++, 中文标签, Node.js]
---
Body.
`,
  // published: false -> hidden, its tag gets no page
  '_posts/2023-03-01-unpublished.md': `---
title: Unpublished
date: 2023-03-01 12:00:00
published: false
categories: Secret
tags: [hidden-tag]
---
Body.
`,
  // per-post permalink override
  '_posts/2023-03-05-custom-link.md': `---
title: Custom permalink
date: 2023-03-05 08:00:00
permalink: custom/path/
categories: Tech
tags: JS
---
Body.
`,
  // a post in a sub-folder: 'notes/2023-04-01-in-subfolder' does not match new_post_name -> slugized
  '_posts/notes/2023-04-01-in-subfolder.md': `---
title: In a sub-folder
date: 2023-04-01 07:45:00
categories: [Tech, Web]
---
Body.
`,
  // CJK file name with a space, matching new_post_name -> raw slug with the space
  '_posts/2023-05-06-深度 学习笔记.md': `---
title: 深度学习笔记
date: 2023-05-06 18:00:00
categories: 深度学习
tags: [中文标签]
---
## 第一章 概述
`,
  // CJK file name with a space, NOT matching new_post_name -> slugized
  '_posts/学习 笔记.md': `---
title: 学习笔记二
date: 2023-05-20 11:11:11
tags: [中文标签]
---
Body.
`,
  // no date and no title in front matter: date from the file name (new_post_name), title from the slug
  '_posts/2023-06-07-date-from-name.md': `---
tags: [JS]
---
Body.
`,
  // front-matter date wins over the file-name date
  '_posts/2020-01-01-fm-wins.md': `---
title: Front matter wins
date: 2023-07-08 23:30:00
categories: Life
---
Body.
`,
  // a draft: hidden (render_drafts: false)
  '_drafts/a-draft.md': `---
title: A draft
date: 2023-08-01 10:00:00
categories: Drafts
tags: [draft-tag]
---
Body.
`,
};
// ---------------------------------------------------------------------------------------------

const req = createRequire(path.join(hexoDir, 'node_modules', 'noop.js'));
const Hexo = req('hexo');
const hexoVersion = req('hexo/package.json').version;
const yaml = req('js-yaml');

async function main() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hexo-options-case-'));
  fs.writeFileSync(path.join(base, 'package.json'), JSON.stringify({
    name: 'hexo-options-case', private: true, hexo: { version: hexoVersion },
    dependencies: Object.fromEntries(PLUGINS.map(p => [p, '*'])),
  }, null, 2));
  fs.symlinkSync(path.join(hexoDir, 'node_modules'), path.join(base, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(base, '_config.yml'), configYaml);
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(base, 'source', rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }

  const hexo = new Hexo(base, { silent: !process.env.VERBOSE });
  await hexo.init();
  await hexo.load();
  const Category = hexo.model('Category');
  const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const cat = c => ({ name: c.name, slug: c.slug, path: c.path, parent: c.parent ? Category.findById(c.parent).path : null });
  const tag = t => ({ name: t.name, slug: t.slug, path: t.path });

  const posts = hexo.model('Post').toArray()
    .sort((a, b) => (a.source < b.source ? -1 : 1))
    .map(p => ({
      source: p.source,
      slug: p.slug,
      title: p.title,
      date: p.date.toISOString(),
      published: p.published,
      visible: hexo.locals.get('posts').some(q => q._id === p._id),
      path: p.path,
      permalink: p.permalink,
      // Hexo's own order of post.categories/tags is site-wide creation order (not stable): sorted by path
      categories: p.categories.map(cat).sort(byPath),
      tags: p.tags.map(tag).sort(byPath),
      headingIds: [...String(p.content).matchAll(/<h[1-6]\b[^>]*?\sid="([^"]*)"/g)].map(m => m[1]),
    }));

  // what each generated list page holds (index, archives, categories, tags)
  const pages = (await hexo._runGenerators())
    .filter(g => g.data && g.data.base !== undefined && Array.isArray(g.layout) && !g.layout.includes('post'))
    .map(g => {
      const d = g.data;
      const o = { path: g.path, layout: g.layout, base: d.base, current: d.current, total: d.total,
        prev_link: d.prev_link, next_link: d.next_link, posts: d.posts.map(p => p.source) };
      for (const k of ['category', 'tag', 'year', 'month', 'archive', '__index']) if (d[k] !== undefined) o[k] = d[k];
      return o;
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));

  const out = {
    hexo: hexoVersion,
    tz: process.env.TZ,
    note: 'Recorded by scripts/hexo-options-case.mjs with the real Hexo (hexo-renderer-marked + default generators), '
      + 'machine TZ=UTC. Rebuild: write configYaml to _config.yml and files under source/. '
      + 'posts: all Post documents incl. hidden ones (visible=false: not in site.posts). routes = hexo.route.list() sorted.',
    configYaml,
    config: yaml.load(configYaml),
    files,
    posts,
    categories: Category.toArray().map(c => ({ ...cat(c), length: c.length })).sort(byPath),
    tags: hexo.model('Tag').toArray().map(t => ({ ...tag(t), length: t.length })).sort(byPath),
    pages,
    routes: hexo.route.list().slice().sort(),
  };
  await hexo.exit();
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(out, null, 1) + '\n');
  console.log(`hexo ${hexoVersion}: ${posts.length} posts, ${out.routes.length} routes -> ${path.relative(process.cwd(), outFile)}`);
}

main().catch(e => { console.error(e); process.exit(1); });

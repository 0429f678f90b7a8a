#!/usr/bin/env node
// Records reference values from the REAL Hexo 8.1.2 for the tom89757 blog
// (tests/fixtures/hexo-tom89757.json). This script documents how the fixture was made.
//
// Usage:
//   TZ=UTC node scripts/record-hexo-reference.mjs [hexoDir] [blogDir] [outFile]
//   env: HEXO_REF_DIR (default /tmp/hexo-ref), BLOG_DIR (default ../shared/corpus/tom89757,
//        relative to the project root), OUT (default tests/fixtures/hexo-tom89757.json)
//
// hexoDir is a folder OUTSIDE the project with Hexo installed, e.g.
//   mkdir -p /tmp/hexo-ref && cd /tmp/hexo-ref && npm init -y && npm i hexo@8.1.2 \
//     hexo-renderer-marked hexo-renderer-markdown-it hexo-generator-index \
//     hexo-generator-archive hexo-generator-category hexo-generator-tag js-yaml
//
// The blog folder is never written to: `_config.yml` and `source/` are copied to a temp dir,
// whose package.json names only Hexo's default plugins (renderer-marked + the four default
// generators) and whose node_modules is a symlink to hexoDir/node_modules. The blog's own
// `_config.yml` is used unchanged (its theme, e.g. `next`, is not installed: routes do not need it).
//
// Posts are rendered one by one (Hexo's own `render_post` filter is swapped for an identical one
// that catches errors per post), so a post whose render fails (unknown tag plugin, Nunjucks syntax)
// is still recorded with its path, `headingIds: null` and `renderError`.

process.env.TZ = process.env.TZ || 'UTC'; // the blog was published from CI in UTC
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hexoDir = path.resolve(process.argv[2] || process.env.HEXO_REF_DIR || '/tmp/hexo-ref');
const blogDir = path.resolve(projectRoot, process.argv[3] || process.env.BLOG_DIR || '../shared/corpus/tom89757');
const outFile = path.resolve(projectRoot, process.argv[4] || process.env.OUT || 'tests/fixtures/hexo-tom89757.json');

const PLUGINS = ['hexo-renderer-marked', 'hexo-generator-index', 'hexo-generator-archive', 'hexo-generator-category', 'hexo-generator-tag'];

const req = createRequire(path.join(hexoDir, 'node_modules', 'noop.js'));
const Hexo = req('hexo');
const hexoVersion = req('hexo/package.json').version;
const yfm = req('hexo-front-matter');

function copyBlog(src) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hexo-record-'));
  fs.copyFileSync(path.join(src, '_config.yml'), path.join(tmp, '_config.yml'));
  fs.cpSync(path.join(src, 'source'), path.join(tmp, 'source'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({
    name: 'hexo-reference-site', private: true, hexo: { version: hexoVersion },
    dependencies: Object.fromEntries(PLUGINS.map(p => [p, '*'])),
  }, null, 2));
  fs.symlinkSync(path.join(hexoDir, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
  return tmp;
}

/** Same as hexo/dist/plugins/filter/before_generate/render_post.js, but errors are per post. */
function perPostRenderFilter(errors) {
  return function renderPostFilter() {
    const renderPosts = model => Promise.all(model.toArray().filter(p => p.content == null).map(async post => {
      post.content = post._content;
      try {
        await this.post.render(post.full_source, post);
      } catch (err) {
        errors.set(post.source, String(err && err.message || err).split('\n')[0].trim());
        post.content = '';
      }
      return post.save();
    }));
    return Promise.all([renderPosts(this.model('Post')), renderPosts(this.model('Page'))]);
  };
}

const decode = s => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|#39);/gi, (m, e) => {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"' };
  if (named[e.toLowerCase()]) return named[e.toLowerCase()];
  return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
});

async function main() {
  if (new Date(2020, 0, 1).getTimezoneOffset() !== 0 && process.env.TZ === 'UTC') throw new Error('TZ=UTC not in effect');
  const base = copyBlog(blogDir);
  const hexo = new Hexo(base, { silent: !process.env.VERBOSE });
  await hexo.init();
  const errors = new Map();
  const list = hexo.extend.filter.list('before_generate');
  const i = list.findIndex(fn => fn.name === 'renderPostFilter');
  if (i < 0) throw new Error('render_post filter not found');
  const replacement = perPostRenderFilter(errors);
  replacement.priority = list[i].priority;
  list[i] = replacement;
  await hexo.load();

  const cfg = hexo.config;
  const posts = hexo.model('Post').toArray()
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
    .map(p => {
      const fm = yfm.parse(p.raw); // post.raw: the file text as Hexo read it (CRLF normalised, BOM stripped)
      const fmDate = fm.date && !isNaN(new Date(fm.date).getTime());
      const nameHasDate = /:(year|month|day|i_month|i_day)\b/.test(cfg.new_post_name || '') && p.source.startsWith('_posts/');
      const failed = errors.has(p.source);
      const o = {
        source: p.source,
        title: p.title,
        date: p.date.toISOString(),
        dateFromFile: !fmDate && !nameHasDate,
        path: p.path,
        // Hexo lists a post's categories/tags in the order the Category/Tag documents were created
        // site-wide, which depends on concurrent file processing and changes between runs: sort them.
        categories: p.categories.map(c => c.path).sort(),
        tags: p.tags.map(t => t.path).sort(),
        headingIds: failed ? null : [...String(p.content).matchAll(/<h[1-6]\b[^>]*?\sid="([^"]*)"/g)].map(m => decode(m[1])),
      };
      if (!p.published) o.published = false;
      if (failed) o.renderError = errors.get(p.source);
      return o;
    });
  const routes = hexo.route.list().slice().sort();
  await hexo.exit();
  fs.rmSync(base, { recursive: true, force: true });

  const out = {
    hexo: hexoVersion,
    tz: process.env.TZ,
    renderer: `hexo-renderer-marked@${req('hexo-renderer-marked/package.json').version}`,
    generators: PLUGINS.slice(1).map(p => `${p}@${req(`${p}/package.json`).version}`),
    note: 'Recorded by scripts/record-hexo-reference.mjs from the blog\'s own _config.yml (machine TZ=UTC). '
      + 'categories/tags are Category.path/Tag.path, sorted (Hexo\'s own order is site-wide creation order, not stable between runs); headingIds are the id="" of <h1>-<h6> in post.content '
      + '(entities decoded), null if Hexo failed to render the post; dateFromFile: the post has no usable front-matter date, '
      + 'so Hexo used the file birthtime and date/path depend on the checkout. routes = hexo.route.list() sorted (JS default sort).',
    posts,
    routes,
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(out, null, 1) + '\n');
  const noDate = posts.filter(p => p.dateFromFile).length;
  console.log(`hexo ${hexoVersion}: ${posts.length} posts (${errors.size} render failures, ${noDate} without date), ${routes.length} routes -> ${path.relative(process.cwd(), outFile)}`);
  for (const [src, msg] of errors) console.log(`  render failed: ${src}: ${msg}`);
}

main().catch(e => { console.error(e); process.exit(1); });

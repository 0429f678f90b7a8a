#!/usr/bin/env node
// Runs the real Hexo (bench/hexo/node_modules: hexo 8.1.2 + hexo-renderer-marked + the four default
// generators) on a Hexo blog, for benchmarks against Verinotes.
//
//   npm install --prefix bench/hexo          # once (node_modules is git-ignored)
//   node bench/hexo/generate.mjs <blogDir> <publicDir> [--json]
//
// The blog folder is never written to: the blog (minus node_modules/, public/, db.json, .git/) is
// copied to a temp dir, whose package.json is replaced by one naming only the plugins installed
// here and whose node_modules is a symlink to bench/hexo/node_modules. Hexo runs there with the
// blog's own _config.yml (`new Hexo(dir, {silent: true})`, `init()`, `call('generate')`), writing
// db.json and public/ in the temp dir; public/ is then moved to <publicDir> (replaced if it exists)
// and the temp dir removed.
//
// Note: a theme named in _config.yml but not present in the blog's themes/ folder (tom89757: `next`)
// is not installed here, so Hexo renders every page with "No layout" and writes empty files: the
// measured work is loading, front matter, Markdown rendering, generators and writing — not templating.
//
// Prints the wall time of Hexo's part (new Hexo → init → generate → exit) and of the whole run.

process.env.TZ = process.env.TZ || 'UTC'; // same as the reference fixtures (blog published from CI in UTC)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2).filter(a => !a.startsWith('--'));
const json = process.argv.includes('--json');
if (args.length !== 2) {
  console.error('usage: node bench/hexo/generate.mjs <blogDir> <publicDir> [--json]');
  process.exit(2);
}
const blogDir = path.resolve(args[0]);
const publicDir = path.resolve(args[1]);
const nodeModules = path.join(here, 'node_modules');

const inside = (child, parent) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};
if (!fs.existsSync(path.join(blogDir, '_config.yml'))) throw new Error(`${blogDir}: no _config.yml`);
if (inside(publicDir, blogDir) || inside(blogDir, publicDir) || inside(process.cwd(), publicDir) || inside(here, publicDir)) {
  throw new Error(`refusing to use ${publicDir} as publicDir (it contains or is inside the blog, the cwd or bench/hexo)`);
}
if (!fs.existsSync(path.join(nodeModules, 'hexo'))) throw new Error('run `npm install --prefix bench/hexo` first');

const req = createRequire(path.join(nodeModules, 'noop.js'));
const Hexo = req('hexo');
const benchPkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const plugins = Object.keys(benchPkg.dependencies).filter(n => n !== 'hexo');

const t0 = performance.now();
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hexo-bench-'));
try {
  const skip = new Set(['node_modules', 'public', 'db.json', '.git', '.deploy_git', 'package.json', 'package-lock.json']);
  for (const entry of fs.readdirSync(blogDir)) {
    if (skip.has(entry)) continue;
    fs.cpSync(path.join(blogDir, entry), path.join(base, entry), { recursive: true });
  }
  fs.writeFileSync(path.join(base, 'package.json'), JSON.stringify({
    name: 'hexo-bench-site', private: true, hexo: { version: req('hexo/package.json').version },
    dependencies: Object.fromEntries(plugins.map(p => [p, '*'])),
  }, null, 2));
  fs.symlinkSync(nodeModules, path.join(base, 'node_modules'), 'dir');

  const t1 = performance.now();
  const hexo = new Hexo(base, { silent: true });
  await hexo.init();
  await hexo.call('generate', {});
  await hexo.exit();
  const t2 = performance.now();

  const out = path.join(base, hexo.config.public_dir || 'public');
  fs.rmSync(publicDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(publicDir), { recursive: true });
  try {
    fs.renameSync(out, publicDir);
  } catch {
    fs.cpSync(out, publicDir, { recursive: true });
  }
  let files = 0;
  for (const e of fs.readdirSync(publicDir, { recursive: true, withFileTypes: true })) if (e.isFile()) files++;
  const t3 = performance.now();

  const result = { tool: 'hexo', version: hexo.version, files, generateMs: +(t2 - t1).toFixed(1), totalMs: +(t3 - t0).toFixed(1) };
  if (json) console.log(JSON.stringify(result));
  else console.log(`hexo ${result.version} generate: ${result.generateMs} ms wall (${files} files in ${publicDir}); whole run incl. copying ${result.totalMs} ms`);
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}

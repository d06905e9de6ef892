import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

/** Browser builds of vega, vega-lite and vega-embed, served from node_modules (UMD, loaded in this order). */
export const VENDOR_FILES: Record<string, string> = {
  'vega.min.js': 'vega/build/vega.min.js',
  'vega-lite.min.js': 'vega-lite/build/vega-lite.min.js',
  'vega-embed.min.js': 'vega-embed/build/vega-embed.min.js',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The nearest ancestor of `from` (inclusive) that holds `marker`. Works from src/ (tests) and dist/src/ (built). */
export function findUp(from: string, marker: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(root);
  return out;
}

/**
 * URL path → file on disk, built once at start-up: '/' is public/index.html, every other file of public/ is
 * served at its own path, core's browser modules (src/core/reports/browser.ts compiled by `npm run build:console`)
 * at /assets/core/, and the vega builds at /assets/vendor/. Nothing outside this map is ever served,
 * so no request path reaches the file system.
 */
export function buildAssetMap(startDir: string): Map<string, string> {
  const map = new Map<string, string>();
  const root = findUp(startDir, join('public', 'index.html'));
  if (root) {
    const publicDir = join(root, 'public');
    for (const file of listFiles(publicDir)) {
      const urlPath = '/' + relative(publicDir, file).split(sep).join('/');
      map.set(urlPath, file);
    }
    const index = map.get('/index.html');
    if (index) map.set('/', index);
  }
  const core = findUp(startDir, join('dist', 'console-core', 'reports', 'browser.js'));
  if (core) {
    const coreDir = join(core, 'dist', 'console-core');
    for (const file of listFiles(coreDir)) {
      const urlPath = '/assets/core/' + relative(coreDir, file).split(sep).join('/');
      map.set(urlPath, file);
      map.set(urlPath.replace(/\.js$/, ''), file); // the compiled modules import each other without extensions
    }
  }
  const modules = findUp(startDir, join('node_modules', 'vega-embed', 'package.json'));
  if (modules) {
    for (const [name, rel] of Object.entries(VENDOR_FILES)) {
      const file = join(modules, 'node_modules', ...rel.split('/'));
      if (existsSync(file)) map.set(`/assets/vendor/${name}`, file);
    }
  }
  return map;
}

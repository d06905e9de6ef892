import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
/** Folders whose files ship with the product or run in its tests. */
const SCANNED = [
  'src',
  'test',
  'bench',
  'bin',
  'scripts',
  'docs',
  'public',
  'migrations',
  '.ci',
  'README.md',
  'package.json',
];
/** A path that leaves the repository for the team's shared folder. */
const OUTSIDE = /(?:\.\.\/)+shared\/|\/work\/shared\b|FAIRWATCH_SHARED_DIR/;

function filesUnder(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (stat.isFile()) return [path];
  return readdirSync(path).flatMap((name) => (name === 'node_modules' ? [] : filesUnder(join(path, name))));
}

/** Every line, in the given roots, that points outside the repository. */
function referencesOutside(root: string, entries: string[]): string[] {
  return entries
    .flatMap((entry) => filesUnder(join(root, entry)))
    .filter((file) => file !== __filename)
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (OUTSIDE.test(line) ? [`${relative(root, file)}:${i + 1}`] : [])),
    );
}

describe('the repository stands alone', () => {
  it('nothing in src, tests, benches, scripts or docs points at a folder outside the repository', () => {
    expect(referencesOutside(ROOT, SCANNED)).toEqual([]);
  });

  it('the check finds such a reference when one is planted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairwatch-standalone-'));
    try {
      mkdirSync(join(dir, 'test'));
      writeFileSync(
        join(dir, 'test', 'a.ts'),
        `ok\nconst x = resolve(__dirname, '${['..', '..', 'shared', 'datasets', 'a.csv'].join('/')}');\n`,
      );
      writeFileSync(
        join(dir, 'README.md'),
        `see ${['', 'work', 'shared', 'reference', 'metrics.md'].join('/')}\n`,
      );
      expect(referencesOutside(dir, ['test', 'README.md'])).toEqual(['test/a.ts:2', 'README.md:1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the datasets the tests read are in the repository, unchanged (datasets/README.md checksums)', () => {
    const readme = readFileSync(join(ROOT, 'datasets/README.md'), 'utf8');
    const sums = [...readme.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)];
    expect(sums.length).toBeGreaterThanOrEqual(4);
    for (const [, sha, file] of sums) {
      const actual = createHash('sha256')
        .update(readFileSync(join(ROOT, 'datasets', file!)))
        .digest('hex');
      expect([file, actual]).toEqual([file, sha]);
    }
  });
});

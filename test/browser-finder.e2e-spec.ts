import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBrowser } from './support/browser';

/** The browser tests find a Chromium or Chrome already on the machine, and say how to provide one when none is. */
describe('findBrowser', () => {
  let dir: string;
  let fakeChrome: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fairwatch-browser-'));
    fakeChrome = join(dir, 'google-chrome');
    writeFileSync(fakeChrome, '#!/bin/sh\n');
    chmodSync(fakeChrome, 0o755);
    writeFileSync(join(dir, 'chromium'), 'not executable');
    chmodSync(join(dir, 'chromium'), 0o644);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the browser an environment variable names', () => {
    expect(findBrowser({ FAIRWATCH_CHROMIUM: fakeChrome, PATH: '' })).toBe(fakeChrome);
    expect(findBrowser({ CHROME_PATH: fakeChrome, PATH: '' })).toBe(fakeChrome);
  });

  it('refuses an environment variable that names no executable', () => {
    expect(() => findBrowser({ FAIRWATCH_CHROMIUM: join(dir, 'chromium'), PATH: dir })).toThrow(
      /FAIRWATCH_CHROMIUM=.*is not an executable browser/,
    );
  });

  it('finds an executable browser on PATH, passing over a non-executable file of the same kind of name', () => {
    expect(findBrowser({ PATH: dir })).toBe(fakeChrome);
  });

  it('without any, fails with one line that says how to provide one', () => {
    expect(() => findBrowser({ PATH: join(dir, 'nothing-here') }, [])).toThrow(
      /^No Chromium or Chrome found for the browser tests: install one \(Debian: apt-get install chromium\) or set FAIRWATCH_CHROMIUM=\/path\/to\/chrome\.$/,
    );
  });

  it('looks in the usual install locations after PATH', () => {
    expect(findBrowser({ PATH: '' }, [join(dir, 'chromium'), fakeChrome])).toBe(fakeChrome);
  });
});

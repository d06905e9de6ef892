import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Chromium or Chrome usually lives when it is not on PATH (Debian/Ubuntu, snap, Fedora, macOS). */
const USUAL_LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];
const NAMES_ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
/** Environment variables that name a browser, in the order they are read. */
export const BROWSER_ENV = ['FAIRWATCH_CHROMIUM', 'CHROME_PATH', 'CHROMIUM_PATH'] as const;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium or Chrome the browser tests drive: the first of the environment variables above, then the
 * names on PATH, then the usual install locations. Nothing is downloaded or installed from the test suite;
 * `.ci/run` installs Debian's chromium for CI.
 */
export function findBrowser(
  env: NodeJS.ProcessEnv = process.env,
  usual: readonly string[] = USUAL_LOCATIONS,
): string {
  for (const name of BROWSER_ENV) {
    const value = env[name];
    if (value && value.trim() !== '') {
      if (executable(value)) return value;
      throw new Error(`${name}=${value} is not an executable browser.`);
    }
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .flatMap((dir) => NAMES_ON_PATH.map((name) => join(dir, name)));
  const found = [...onPath, ...usual].find(executable);
  if (found) return found;
  throw new Error(
    'No Chromium or Chrome found for the browser tests: install one (Debian: apt-get install chromium) or set FAIRWATCH_CHROMIUM=/path/to/chrome.',
  );
}

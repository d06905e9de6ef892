/**
 * Start-up benchmark: `npm start` as a user runs it, on embedded PGlite, timed from the spawn to the first
 * `GET /health` that answers 200. First a fresh data directory (initdb and every migration), then RESTARTS
 * restarts on the same directory with nothing changed in the sources (the build step finds nothing to do).
 * Each run also prints the server's own start-up figures from its first start-up log line: `startupMs` (process
 * start to listening) and `nestMs` (Nest's share). Prints; no assertions.
 *
 *   npm run bench -- startup            (BENCH_STARTUP_RESTARTS=5 for more restarts)
 *
 * Each `npm start` runs in its own process group (detached), which the bench stops with SIGTERM once /health
 * answers, and waits for before the next start (PGlite's directory has one user at a time).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stats } from './support/timing';

const ROOT = resolve(__dirname, '..');
const RESTARTS = Number(process.env.BENCH_STARTUP_RESTARTS ?? 3);
const TIMEOUT_MS = 180_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

interface StartRun {
  healthMs: number;
  /** CPU seconds (user + system) of the whole process group (npm, the build step, the server) until /health. */
  cpuS: number | null;
  startupMs: number | null;
  nestMs: number | null;
  build: string | null;
}

/**
 * CPU time of every live process in the group `pgid`, from /proc (Linux; null elsewhere). Steadier than wall
 * time on a shared machine. Processes that already exited (the build step) are not counted.
 */
function groupCpuSeconds(pgid: number): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // field 5: process group
      ticks += Number(fields[11]) + Number(fields[12]); // fields 14, 15: utime, stime
    }
    return ticks / 100; // USER_HZ
  } catch {
    return null;
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM'); // the group this bench started
  });
}

/** One `npm start` on `dataDir`: milliseconds to /health 200, and what the server logged about itself. */
async function start(dataDir: string): Promise<StartRun> {
  const port = await freePort();
  const began = process.hrtime.bigint();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      FAIRWATCH_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
      if (await healthy(port)) break;
      if (Number(process.hrtime.bigint() - began) / 1e6 > TIMEOUT_MS)
        throw new Error(`no /health after ${TIMEOUT_MS} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const healthMs = Number(process.hrtime.bigint() - began) / 1e6;
    const cpuS = child.pid !== undefined ? groupCpuSeconds(child.pid) : null;
    const ready = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; startupMs?: number; nestMs?: number })
      .find((l) => typeof l.startupMs === 'number');
    return {
      healthMs,
      cpuS,
      startupMs: ready?.startupMs ?? null,
      nestMs: ready?.nestMs ?? null,
      build: /^build: .*$/m.exec(output)?.[0] ?? null,
    };
  } finally {
    await stop(child);
  }
}

const line = (label: string, r: StartRun): string =>
  `${label.padEnd(12)} /health after ${(r.healthMs / 1000).toFixed(2)} s, CPU ${r.cpuS?.toFixed(2) ?? '?'} s` +
  ` (server: ${r.startupMs ?? '?'} ms process start to listening, Nest ${r.nestMs ?? '?'} ms; ${r.build ?? 'no build line'})`;

export async function run(): Promise<void> {
  // The build the first start needs is timed on its own, so the start-up figures do not depend on a stale dist/.
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-fast.mjs')], { encoding: 'utf8' });
  process.stdout.write(`before the runs: ${built.stdout.trim()}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'fairwatch-startup-'));
  try {
    const first = await start(dataDir);
    console.log(line('first start', first));
    const restarts: StartRun[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      const r = await start(dataDir);
      restarts.push(r);
      console.log(line(`restart ${i + 1}`, r));
    }
    console.log(`restarts to /health: ${stats(restarts.map((r) => r.healthMs))}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Start-up benchmark: `npm start` as a user runs it, on embedded PGlite, timed from the spawn to the first
 * `GET /health` that answers 200. First a fresh data directory (initdb and every migration), then RESTARTS
 * restarts on the same directory with nothing changed in the sources (the build step finds nothing to do),
 * then RESTARTS restarts of the server process alone (`node dist/src/main.js`, what `npm start` runs after its
 * build step: the issue 16 target, ≤ 3 s to /health). Each run also prints the server's own start-up phases
 * from its log (when modules were loaded, the database open, migrations checked, Nest built, the port
 * listening: wall ms since the process started, and the process's CPU ms by then). The machine is shared, so
 * wall times are noisy: min and median over the runs, and CPU seconds (steadier), are printed. No assertions.
 *
 *   npm run bench -- startup            (BENCH_STARTUP_RESTARTS=8 for more restarts; default 5)
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
const RESTARTS = Number(process.env.BENCH_STARTUP_RESTARTS ?? 5);
const TIMEOUT_MS = 180_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The server's start-up phases log line (src/startup/startup-timing.ts): `<phase>Ms` and `<phase>CpuMs`. */
type Phases = Record<string, number>;
const PHASES = ['modules', 'database', 'migrations', 'nest', 'listening'];

interface StartRun {
  healthMs: number;
  /** CPU seconds (user + system) of the process group (npm and the server, or the server alone) until /health. */
  cpuS: number | null;
  phases: Phases | null;
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

/** One start on `dataDir` (`npm start`, or the server alone): ms to /health 200, what the server logged. */
async function start(dataDir: string, how: 'npm' | 'server'): Promise<StartRun> {
  const port = await freePort();
  const [command, args] =
    how === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, [join(ROOT, 'dist/src/main.js')]];
  const began = process.hrtime.bigint();
  const child = spawn(command, args, {
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
    const phasesLine = (): Phases | undefined =>
      output
        .split('\n')
        .slice(0, -1) // complete lines only
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Phases)
        .find((l) => typeof l.listeningMs === 'number');
    // The log line may trail the first answer by a moment.
    for (let i = 0; i < 40 && !phasesLine() && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const phases = phasesLine();
    return { healthMs, cpuS, phases: phases ?? null, build: /^build: .*$/m.exec(output)?.[0] ?? null };
  } finally {
    await stop(child);
  }
}

const phaseText = (p: Phases | null): string =>
  p === null
    ? 'no phases line'
    : PHASES.filter((k) => typeof p[`${k}Ms`] === 'number')
        .map((k) => `${k} ${p[`${k}Ms`]} (CPU ${p[`${k}CpuMs`]})`)
        .join(', ');

const line = (label: string, r: StartRun): string =>
  `${label.padEnd(16)} /health after ${(r.healthMs / 1000).toFixed(2)} s, CPU ${r.cpuS?.toFixed(2) ?? '?'} s` +
  `${r.build ? ` (${r.build})` : ''}\n${''.padEnd(17)}server phases, ms since its start: ${phaseText(r.phases)}`;

/** Min/median of /health, of the CPU seconds and of the server's own time to listening over some runs. */
function summary(label: string, runs: readonly StartRun[]): string {
  const cpu = runs
    .map((r) => r.cpuS)
    .filter((c): c is number => c !== null)
    .sort((a, b) => a - b);
  const cpuText =
    cpu.length > 0
      ? `; CPU median ${cpu[Math.floor(cpu.length / 2)]!.toFixed(2)} s, min ${cpu[0]!.toFixed(2)} s`
      : '';
  const listening = runs.map((r) => r.phases?.listeningMs).filter((v): v is number => v !== undefined);
  return (
    `${label}: to /health ${stats(runs.map((r) => r.healthMs))}${cpuText}` +
    (listening.length > 0 ? `; server listening ${stats(listening)} after its start` : '')
  );
}

export async function run(): Promise<void> {
  // The build the first start needs is timed on its own, so the start-up figures do not depend on a stale dist/.
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-fast.mjs')], { encoding: 'utf8' });
  process.stdout.write(`before the runs: ${built.stdout.trim()}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'fairwatch-startup-'));
  try {
    const first = await start(dataDir, 'npm');
    console.log(line('first start', first));
    const restarts: Record<'npm' | 'server', StartRun[]> = { npm: [], server: [] };
    for (const how of ['npm', 'server'] as const) {
      for (let i = 0; i < RESTARTS; i++) {
        const r = await start(dataDir, how);
        restarts[how].push(r);
        console.log(line(`${how === 'npm' ? 'npm start' : 'server'} restart ${i + 1}`, r));
      }
    }
    console.log(summary('npm start restarts', restarts.npm));
    console.log(summary('server-only restarts (target ≤ 3 s)', restarts.server));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The real app (createApp, real AppModule) in a child process for API benchmarks that must not share an event
 * loop with the load they generate: `startAppServer` spawns this file with @swc-node/register, the child
 * listens on a free loopback port and reports it on stdout. The child also measures its own event-loop delay
 * (perf_hooks.monitorEventLoopDelay): write "reset" or "delay" on its stdin; "delay" answers one JSON line
 * {delay: {p50, p99, max}} in milliseconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config';
import { ComputeService } from '../../src/modules/compute/compute.service';

const SERVER_FLAG = 'FW_BENCH_APP_SERVER';

export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export interface AppServer {
  child: ChildProcess;
  port: number;
  /** JSON log lines of the server ("Audit submitted" carries the phase timings). */
  logs: Record<string, unknown>[];
  /** Starts a new event-loop delay window in the server. */
  resetDelay(): void;
  /** The server's event-loop delay since the last reset. */
  delay(): Promise<EventLoopDelay>;
  stop(): Promise<void>;
}

/** Spawns the app on `databaseUrl`; `env` adds to (or overrides) the bench defaults. */
export function startAppServer(
  databaseUrl: string,
  adminKey: string,
  env: Record<string, string> = {},
): Promise<AppServer> {
  const execArgv = ['-r', '@swc-node/register'];
  if (process.env.BENCH_CPU_PROFILE) execArgv.push('--cpu-prof', `--cpu-prof-dir=${tmpdir()}`);
  const child = spawn(process.execPath, [...execArgv, __filename], {
    env: {
      ...process.env,
      [SERVER_FLAG]: '1',
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: adminKey,
      MAX_UPLOAD_SIZE: '4gb',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const logs: Record<string, unknown>[] = [];
  const delayWaiters: ((d: EventLoopDelay) => void)[] = [];
  const command = (line: string): void => void child.stdin?.write(`${line}\n`);
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // not JSON
        }
        if (typeof parsed.benchPort === 'number') {
          resolve({
            child,
            port: parsed.benchPort,
            logs,
            resetDelay: () => command('reset'),
            delay: () =>
              new Promise<EventLoopDelay>((r) => {
                delayWaiters.push(r);
                command('delay');
              }),
            stop: () => stop(child),
          });
        } else if (parsed.delay) delayWaiters.shift()?.(parsed.delay as EventLoopDelay);
        else logs.push(parsed);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export interface Response {
  status: number;
  body: string;
}

/** One HTTP request on loopback; `agent` for keep-alive. */
export function request(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: () => NodeJS.ReadableStream | Buffer,
  agent?: http.Agent,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    const b = body?.();
    if (b === undefined) req.end();
    else if (Buffer.isBuffer(b)) req.end(b);
    else b.pipe(req);
  });
}

// ---------------------------------------------------------------- the child

async function serve(): Promise<void> {
  const config = loadConfig(process.env, 'bench');
  const app = await createApp(config);
  await app.get(ComputeService).warmUp(); // as main.ts does (there without waiting)
  await app.listen(0, '127.0.0.1');
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString('utf8');
    let nl: number;
    while ((nl = input.indexOf('\n')) >= 0) {
      const line = input.slice(0, nl).trim();
      input = input.slice(nl + 1);
      if (line === 'reset') histogram.reset();
      if (line === 'delay') {
        const delay = {
          p50: ms(histogram.percentile(50)),
          p99: ms(histogram.percentile(99)),
          max: ms(histogram.max),
        };
        process.stdout.write(`${JSON.stringify({ delay })}\n`);
      }
    }
  });
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`${JSON.stringify({ benchPort: address.port })}\n`);
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

if (require.main === module && process.env[SERVER_FLAG]) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

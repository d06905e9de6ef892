import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** A free TCP port on this machine. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

export interface ChildApp {
  proc: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Resolves once GET /health answers 200; rejects if the process exits first or after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM (a graceful shutdown), then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The service as `npm start` runs it (src/main.ts, compiled on the fly by @swc-node/register) in a child process
 * with exactly `env` (plus PATH and PORT), so several instances can run at once like replicas or a mistaken
 * second start.
 */
export async function spawnApp(env: Record<string, string>): Promise<ChildApp> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const url = `http://127.0.0.1:${port}`;
  return {
    proc,
    port,
    url,
    output: () => out,
    exited,
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (hasExited) throw new Error(`the service exited before it was ready:\n${out}`);
        try {
          if ((await fetch(`${url}/health`)).status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`the service was not ready after ${timeoutMs} ms:\n${out}`);
    },
    async stop() {
      if (!hasExited) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * The real server (src/main.ts) in a child process: a multipart body cut inside its file part gets a 400 and
 * the process lives on; a file-first upload killed with SIGKILL mid-body leaves nothing readable behind (the
 * spool is encrypted with a key that died with the process), and the next start-up removes the leftover.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ADMIN_KEY } from './support/test-app';
import { freshDatabase, testServerUrl } from './support/test-database';

const ROOT = resolve(__dirname, '..');
const MARKER = 'MRN-SPOOL-MARKER-5d41402abc4b2a76';
const BOUNDARY = 'spool-test-boundary';
const HEADER = 'patient_id,y_true,y_pred,score,race,visit_note\n';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

function request(
  port: number,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, ...headers },
      },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', rej);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('upload spool: a killed server leaves no readable patient data (child process)', () => {
  const root = mkdtempSync(join(tmpdir(), 'fw-spool-e2e-'));
  const spoolDir = join(root, 'spool');
  const childTmp = join(root, 'tmp');
  let env: Record<string, string>;
  let child: ChildProcess | undefined;
  let port: number;

  async function startServer(): Promise<ChildProcess> {
    const proc = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    // Transpiling the whole source on the fly takes 10-40 s on a busy machine.
    for (let i = 0; i < 1200; i++) {
      if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${stderr}`);
      const health = await request(port, 'GET', '/health').catch(() => null);
      if (health?.status === 200) return proc;
      await sleep(100);
    }
    throw new Error('server did not start in 120 s');
  }

  function exited(proc: ChildProcess): Promise<void> {
    return proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve()
      : new Promise((r) => proc.once('exit', () => r()));
  }

  beforeAll(async () => {
    port = await freePort();
    const server = testServerUrl();
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: childTmp,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
      FAIRWATCH_DATA_DIR: ':memory:',
      FAIRWATCH_SPOOL_DIR: spoolDir,
      ...(server ? { DATABASE_URL: await freshDatabase(server) } : {}),
    };
    mkdirSync(childTmp);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('survives a cut body, leaves only ciphertext when killed, and removes it at the next start', async () => {
    child = await startServer();
    const model = await request(port, 'POST', '/v1/models', JSON.stringify({ name: 'spool', version: '1' }), {
      'Content-Type': 'application/json',
    });
    expect(model.status).toBe(201);
    const path = `/v1/models/${(JSON.parse(model.body) as { id: string }).id}/audits`;
    const multipart = { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` };
    const fileHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n`;

    // 1. A body that ends inside the file part, file first: a 400, and the same process answers afterwards.
    const cut = await request(port, 'POST', path, `${fileHead}${HEADER}P1,1,1,0.9,A,x\nP2,0,0`, multipart);
    expect(cut.status).toBe(400);
    expect(JSON.parse(cut.body)).toMatchObject({ errors: [{ field: 'file' }] });
    expect((await request(port, 'GET', '/health')).status).toBe(200);
    expect(child.exitCode).toBeNull();

    // 2. A file-first upload whose unmapped column holds the marker; SIGKILL once the spool holds 1 MB of it.
    const row = (i: number) => `P${i},${i % 2},1,0.5,A,${MARKER} note ${i}\n`;
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      agent: false,
      headers: {
        Authorization: `Bearer ${ADMIN_KEY}`,
        ...multipart,
        'Content-Length': String(64 * 1024 * 1024),
      },
    });
    req.on('error', () => undefined);
    req.write(fileHead + HEADER);
    const spoolBytes = () => filesUnder(spoolDir).reduce((n, f) => n + statSync(f).size, 0);
    let sent = 0;
    for (let i = 0; spoolBytes() < 1024 * 1024; i++) {
      if (i > 2000) throw new Error('the spool never grew');
      const block = Array.from({ length: 1000 }, (_, k) => row(sent + k)).join('');
      sent += 1000;
      await new Promise<void>((r) => req.write(block, () => r()));
      await sleep(5);
    }
    child.kill('SIGKILL');
    await exited(child);
    req.destroy();

    const leftovers = filesUnder(spoolDir);
    expect(leftovers.length).toBe(1); // the killed upload's spool is still there...
    expect(statSync(leftovers[0]!).size).toBeGreaterThanOrEqual(1024 * 1024);
    expect(statSync(spoolDir).mode & 0o777).toBe(0o700);
    const marker = Buffer.from(MARKER);
    for (const file of [...leftovers, ...filesUnder(childTmp)]) {
      const bytes = readFileSync(file);
      expect([file, bytes.includes(marker), bytes.includes(Buffer.from('patient_id'))]).toEqual([
        file,
        false,
        false,
      ]);
    }

    // 3. The next start-up removes the leftover.
    child = await startServer();
    expect(filesUnder(spoolDir)).toEqual([]);
    child.kill('SIGTERM');
    await exited(child);
  }, 300_000);
});

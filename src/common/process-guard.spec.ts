import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isStreamError } from './process-guard';

/** Runs `body` in a fresh Node process with the guard installed (logging JSON lines to stdout). */
function runGuarded(body: string): { status: number | null; lines: { level: string; msg: string }[] } {
  const guard = join(__dirname, 'process-guard.ts');
  const script = `
    const { installProcessGuard } = require(${JSON.stringify(guard)});
    const line = (level) => (details, msg) => console.log(JSON.stringify({ level, msg, err: String(details.err) }));
    installProcessGuard({ error: line('error'), fatal: line('fatal') });
    ${body}
    setTimeout(() => console.log(JSON.stringify({ level: 'info', msg: 'still alive' })), 100);
  `;
  const res = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const lines = res.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; msg: string });
  return { status: res.status, lines };
}

describe('process guard', () => {
  it('survives a stream error nobody listens to, logging it at error level', () => {
    const { status, lines } = runGuarded(`
      const { Readable } = require('node:stream');
      const s = new Readable({ read() {} });
      s.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    `);
    expect(status).toBe(0);
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
    expect(lines[1]?.msg).toBe('still alive');
  });

  it("survives busboy's error for a body cut inside a part (the crash this guards against)", () => {
    const { status, lines } = runGuarded(`
      const busboy = require('busboy');
      const bb = busboy({ headers: { 'content-type': 'multipart/form-data; boundary=b' } });
      bb.on('error', () => {});
      bb.on('file', (name, stream) => stream.on('data', () => {})); // no 'error' listener on the part stream
      bb.end(Buffer.from('--b\\r\\nContent-Disposition: form-data; name="file"; filename="a.csv"\\r\\n\\r\\nx,y\\n1,2'));
    `);
    expect(status).toBe(0);
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
  });

  it('exits with status 1 after a fatal log for any other uncaught error', () => {
    const { status, lines } = runGuarded(`setImmediate(() => { null.boom; });`);
    expect(status).toBe(1);
    expect(lines.map((l) => l.level)).toEqual(['fatal']);
    expect(lines[0]?.msg).toMatch(/exiting/);
  });

  it('treats an unhandled rejection like an uncaught exception', () => {
    expect(runGuarded(`Promise.reject(new RangeError('bad state'));`).status).toBe(1);
    const stream = runGuarded(`Promise.reject(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));`);
    expect([stream.status, stream.lines.map((l) => l.level)]).toEqual([0, ['error', 'info']]);
  });

  it('classifies by code, by busboy origin, and looks inside ERR_UNHANDLED_ERROR', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isStreamError(reset)).toBe(true);
    const cut = new Error('Unexpected end of file');
    cut.stack =
      'Error: Unexpected end of file\n    at x (/app/node_modules/busboy/lib/types/multipart.js:609:15)';
    expect(isStreamError(cut)).toBe(true);
    expect(isStreamError(new Error('Unexpected end of file'))).toBe(false); // same words, not from busboy
    expect(isStreamError(new TypeError("Cannot read properties of null (reading 'x')"))).toBe(false);
    expect(
      isStreamError(Object.assign(new Error('x'), { code: 'ERR_UNHANDLED_ERROR', context: reset })),
    ).toBe(true);
    expect(
      isStreamError(Object.assign(new Error('x'), { code: 'ERR_UNHANDLED_ERROR', context: 'str' })),
    ).toBe(false);
    expect(isStreamError('ECONNRESET')).toBe(false);
    expect(isStreamError(null)).toBe(false);
  });
});

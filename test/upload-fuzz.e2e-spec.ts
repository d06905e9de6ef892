/**
 * Hostile uploads over raw sockets (supertest always sends whole, well-formed bodies): truncated multipart in
 * both part orders, bodies cut at seeded random points, clients that vanish mid-body, random bytes, bad
 * boundaries and huge headers. After every request the server must still answer /health, no request may get a
 * 5xx, nothing may be stored, and a good upload must still work at the end.
 *
 * Seeded (FUZZ_SEED, default below) and bounded: about 200 requests, each with a 5 s socket timeout.
 */
import http from 'node:http';
import net from 'node:net';
import { mulberry32 } from '../src/core/stats';
import { startTestApp, type TestApp } from './support/test-app';

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const CUTS_PER_ORDER = 30;
const VANISH_PER_ORDER = 10;
const RANDOM_BODIES = 20;
const FLIPS_PER_ORDER = 20;
const SOCKET_TIMEOUT_MS = 5000;

const HEADER = 'patient_id,y_true,y_pred,score,race';
const ROWS = Array.from(
  { length: 400 },
  (_, i) => `P${i},${i % 2},${(i >> 1) % 2},0.${(i * 7) % 10},${'AB'[i % 3 === 0 ? 0 : 1]}`,
);
const CSV = [HEADER, ...ROWS].join('\n');
const CONFIG = JSON.stringify({ sensitiveAttributes: ['race'] });
const BOUNDARY = 'fuzz-boundary-7f3a';

interface Part {
  name: string;
  filename?: string;
  body: string;
}

function multipart(parts: readonly Part[], boundary = BOUNDARY): { body: Buffer; closing: number } {
  const pieces = parts.map(
    (p) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
      (p.filename ? `; filename="${p.filename}"\r\nContent-Type: text/csv` : '') +
      `\r\n\r\n${p.body}\r\n`,
  );
  const head = pieces.join('');
  const body = Buffer.from(`${head}--${boundary}--\r\n`);
  // Index of the CRLF that starts the closing delimiter: a body cut before it lacks the closing boundary.
  return { body, closing: Buffer.byteLength(head) - 2 };
}

const CONFIG_PART: Part = { name: 'config', body: CONFIG };
const FILE_PART: Part = { name: 'file', filename: 'data.csv', body: CSV };
const ORDERS = {
  'config first': multipart([CONFIG_PART, FILE_PART]),
  'file first': multipart([FILE_PART, CONFIG_PART]),
};

interface RawAnswer {
  /** HTTP status, or null when the connection closed without an answer. */
  status: number | null;
  contentType: string | null;
}

/**
 * Sends a request over a raw TCP socket. `contentLength` defaults to the body's length; `vanishAfter` writes
 * that many bytes of the body and then destroys the socket (the client goes away without an answer).
 */
function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  opts: { contentLength?: number; vanishAfter?: number; rawHead?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      const contentType = /\r\ncontent-type: ([^\r\n]*)/i.exec(text)?.[1] ?? null;
      resolve({ status: status === undefined ? null : Number(status), contentType });
    };
    const timer = setTimeout(finish, SOCKET_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', () => {
      const lines = [
        `POST ${path} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Connection: close',
        `Content-Length: ${opts.contentLength ?? body.length}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      const head = opts.rawHead ?? `${lines.join('\r\n')}\r\n\r\n`;
      if (opts.vanishAfter !== undefined) {
        socket.write(head);
        socket.write(body.subarray(0, opts.vanishAfter), () => setTimeout(finish, 20));
      } else {
        socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
      }
    });
  });
}

function getHealth(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.setTimeout(SOCKET_TIMEOUT_MS, () => req.destroy(new Error('health check timed out')));
  });
}

describe(`upload fuzz (seed ${SEED})`, () => {
  let t: TestApp;
  let port: number;
  let modelId: string;
  let path: string;
  let auth: string;
  /** Each test draws from its own stream (seed and test name), so running one test alone replays it exactly. */
  let random = mulberry32(SEED);
  const int = (n: number): number => Math.floor(random() * n);
  beforeEach(() => {
    const name = expect.getState().currentTestName ?? '';
    let h = SEED >>> 0;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    random = mulberry32(h);
  });

  beforeAll(async () => {
    t = await startTestApp(process.env.FUZZ_LOG ? { LOG_LEVEL: process.env.FUZZ_LOG } : {});
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
    const res = await t.http
      .post('/v1/models')
      .set(t.auth())
      .send({ name: 'fuzz', version: '1' })
      .expect(201);
    modelId = (res.body as { id: string }).id;
    path = `/v1/models/${modelId}/audits`;
    auth = t.auth().Authorization;
  });
  afterAll(() => t.close());

  const storedAudits = async (): Promise<number> => {
    const rows = await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audits');
    return rows[0]?.n ?? -1;
  };

  const multipartHeaders = (boundary = BOUNDARY): Record<string, string> => ({
    Authorization: auth,
    'Content-Type': `multipart/form-data; boundary=${boundary}`,
  });

  /** The answer is a 4xx problem document (or, when `mayVanish`, no answer at all) and the server is alive. */
  async function expectRejectedAndAlive(answer: RawAnswer, label: string, mayVanish = false): Promise<void> {
    const ok =
      (answer.status !== null &&
        answer.status >= 400 &&
        answer.status < 500 &&
        (answer.contentType?.startsWith('application/problem+json') ?? false)) ||
      (mayVanish && answer.status === null);
    if (!ok) throw new Error(`${label}: got ${JSON.stringify(answer)}`);
    expect(await getHealth(port)).toBe(200);
  }

  it('a whole, well-formed body is accepted in both orders over a raw socket (the harness works)', async () => {
    const before = await storedAudits();
    for (const { body } of Object.values(ORDERS)) {
      const answer = await rawRequest(port, path, multipartHeaders(), body);
      expect(answer.status).toBe(201);
    }
    expect(await storedAudits()).toBe(before + 2);
  });

  describe.each(Object.entries(ORDERS))('%s', (order, { body, closing }) => {
    it('a body that ends inside the file part (no closing boundary) is a 400, and the server carries on', async () => {
      const before = await storedAudits();
      const fileStart = body.indexOf('\r\n\r\n', body.indexOf('name="file"')) + 4;
      for (const end of [fileStart, fileStart + 1, fileStart + 100, closing]) {
        const cut = body.subarray(0, end);
        const answer = await rawRequest(port, path, multipartHeaders(), cut);
        expect([order, end, answer.status]).toEqual([order, end, 400]);
        await expectRejectedAndAlive(answer, `${order} cut at ${end}`);
      }
      expect(await storedAudits()).toBe(before);
    });

    it(`${CUTS_PER_ORDER} bodies cut at random points before the closing boundary are 4xx`, async () => {
      const before = await storedAudits();
      for (let i = 0; i < CUTS_PER_ORDER; i++) {
        const end = int(closing);
        const answer = await rawRequest(port, path, multipartHeaders(), body.subarray(0, end));
        await expectRejectedAndAlive(answer, `${order} cut at ${end}`);
      }
      expect(await storedAudits()).toBe(before);
    });

    it(`${VANISH_PER_ORDER} clients that vanish at random points leave the server answering`, async () => {
      const before = await storedAudits();
      for (let i = 0; i < VANISH_PER_ORDER; i++) {
        const end = int(body.length - 1);
        const answer = await rawRequest(port, path, multipartHeaders(), body, { vanishAfter: end });
        await expectRejectedAndAlive(answer, `${order} vanished at ${end}`, true);
      }
      expect(await storedAudits()).toBe(before);
    });

    it(`${FLIPS_PER_ORDER} bodies with one random byte changed are a 4xx or a valid audit, never a 5xx`, async () => {
      for (let i = 0; i < FLIPS_PER_ORDER; i++) {
        const copy = Buffer.from(body);
        const at = int(copy.length);
        copy[at] = int(256);
        const answer = await rawRequest(port, path, multipartHeaders(), copy);
        // A flip inside a CSV value can still be a valid upload; anything else must be a 4xx.
        if (answer.status !== 201) await expectRejectedAndAlive(answer, `${order} byte ${at} flipped`);
        else expect(await getHealth(port)).toBe(200);
      }
    });
  });

  it('the config sent as a file part and cut inside it is a 400', async () => {
    const { body } = multipart([{ name: 'config', filename: 'config.json', body: CONFIG }, FILE_PART]);
    const end = body.indexOf('sensitive');
    const answer = await rawRequest(port, path, multipartHeaders(), body.subarray(0, end));
    expect(answer.status).toBe(400);
    await expectRejectedAndAlive(answer, 'config file part cut');
  });

  it(`${RANDOM_BODIES} bodies of random bytes are 4xx`, async () => {
    for (let i = 0; i < RANDOM_BODIES; i++) {
      const bytes = Buffer.alloc(1 + int(8192));
      for (let j = 0; j < bytes.length; j++) bytes[j] = int(256);
      // Half of them start like a real first part, so busboy gets past the preamble.
      const body =
        i % 2 === 0
          ? Buffer.concat([
              Buffer.from(
                `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n`,
              ),
              bytes,
            ])
          : bytes;
      const answer = await rawRequest(port, path, multipartHeaders(), body);
      await expectRejectedAndAlive(answer, `random body ${i}`);
    }
  });

  it('bad boundaries are 4xx', async () => {
    const { body } = ORDERS['config first'];
    const cases: [string, Buffer][] = [
      ['multipart/form-data', body],
      ['multipart/form-data; boundary=', body],
      ['multipart/form-data; boundary="unterminated', body],
      ['multipart/form-data; boundary=other-boundary', body],
      [`multipart/form-data; boundary=second; boundary=${BOUNDARY}`, body],
      ['multipart/form-data; boundary=a', multipart([CONFIG_PART, FILE_PART], 'a').body.subarray(0, 200)],
    ];
    for (const [contentType, payload] of cases) {
      const answer = await rawRequest(
        port,
        path,
        { Authorization: auth, 'Content-Type': contentType },
        payload,
      );
      await expectRejectedAndAlive(answer, contentType);
    }
  });

  it('huge part headers, many part headers and a huge HTTP header are refused', async () => {
    const hugeDisposition = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${'x'.repeat(200_000)}"\r\n\r\n${CSV}\r\n--${BOUNDARY}--\r\n`,
    );
    const manyHeaders = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n` +
        Array.from({ length: 500 }, (_, i) => `X-H${i}: v`).join('\r\n') +
        `\r\n\r\n${CSV}\r\n--${BOUNDARY}--\r\n`,
    );
    for (const [label, payload] of [
      ['huge part header', hugeDisposition],
      ['many part headers', manyHeaders],
    ] as const) {
      const answer = await rawRequest(port, path, multipartHeaders(), payload);
      await expectRejectedAndAlive(answer, label);
    }
    // Node refuses an HTTP head over its 16 KiB limit itself (431, not a problem document); the server carries on.
    const huge = await rawRequest(
      port,
      path,
      { ...multipartHeaders(), 'X-Huge': 'h'.repeat(64 * 1024) },
      Buffer.alloc(0),
    );
    expect(huge.status === 431 || huge.status === null).toBe(true);
    expect(await getHealth(port)).toBe(200);
  });

  it('JSON bodies cut at random points are 400', async () => {
    const json = Buffer.from(
      JSON.stringify({
        config: JSON.parse(CONFIG) as unknown,
        records: ROWS.slice(0, 50).map((r) => ({ row: r, race: 'A' })),
      }),
    );
    const before = await storedAudits();
    for (let i = 0; i < 10; i++) {
      const end = int(json.length - 1);
      const answer = await rawRequest(
        port,
        path,
        { Authorization: auth, 'Content-Type': 'application/json' },
        json.subarray(0, end),
      );
      await expectRejectedAndAlive(answer, `json cut at ${end}`);
    }
    expect(await storedAudits()).toBe(before);
  });

  it('after all of it, a good upload still works in both orders', async () => {
    const before = await storedAudits();
    for (const { body } of Object.values(ORDERS)) {
      const answer = await rawRequest(port, path, multipartHeaders(), body);
      expect(answer.status).toBe(201);
    }
    expect(await storedAudits()).toBe(before + 2);
  });
});

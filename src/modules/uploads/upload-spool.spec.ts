import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config';
import { EncryptedSpool, UploadSpoolService } from './upload-spool';

describe('EncryptedSpool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fw-spool-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plain = Buffer.from(
    Array.from({ length: 20_000 }, (_, i) => `MRN${i},1,0,0.5,A,secret note ${i}\n`).join(''),
  );

  async function spoolOf(name: string): Promise<EncryptedSpool> {
    const errors: Error[] = [];
    const spool = new EncryptedSpool(join(dir, name), (e) => errors.push(e));
    for (let at = 0; at < plain.length; at += 65_536) spool.write(plain.subarray(at, at + 65_536));
    await spool.end();
    expect(errors).toEqual([]);
    return spool;
  }

  async function readAll(spool: EncryptedSpool): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of spool.read(100_000)) chunks.push(c);
    return Buffer.concat(chunks);
  }

  it('reads back exactly what was written, while the file on disk holds none of it', async () => {
    const spool = await spoolOf('a.spool');
    const onDisk = readFileSync(spool.path);
    expect(onDisk.length).toBe(plain.length); // GCM is a stream cipher: same length, no padding
    expect(onDisk.includes(Buffer.from('MRN1'))).toBe(false);
    expect(onDisk.includes(Buffer.from('secret note'))).toBe(false);
    expect((await readAll(spool)).equals(plain)).toBe(true);
    spool.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(spool.path)).toBe(false);
  });

  it('two spools of the same bytes differ on disk (a fresh key and IV each)', async () => {
    const a = await spoolOf('b1.spool');
    const b = await spoolOf('b2.spool');
    expect(readFileSync(a.path).equals(readFileSync(b.path))).toBe(false);
    a.destroy();
    b.destroy();
  });

  it('a changed byte on disk fails the read (GCM tag) instead of feeding altered data', async () => {
    const spool = await spoolOf('c.spool');
    const bytes = readFileSync(spool.path);
    bytes[1234] = (bytes[1234] as number) ^ 1;
    writeFileSync(spool.path, bytes);
    await expect(readAll(spool)).rejects.toThrow(/authenticate/);
    spool.destroy();
  });

  it('reports a write error (missing directory) through onError', async () => {
    const errors: Error[] = [];
    const spool = new EncryptedSpool(join(dir, 'missing', 'd.spool'), (e) => errors.push(e));
    spool.write(Buffer.from('x'));
    await expect(spool.end()).rejects.toThrow(/ENOENT/);
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOENT']);
  });
});

describe('UploadSpoolService.withPlaintextCopy (a file path for DuckDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fw-plain-spec-'));
  const spoolDir = join(dir, 'spool');
  const service = new UploadSpoolService(
    loadConfig({ FAIRWATCH_DATA_DIR: dir, FAIRWATCH_SPOOL_DIR: spoolDir }),
  );
  beforeAll(() => service.onModuleInit());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plain = Buffer.from('patient_id,y_true\nMRN-PLAIN-1,1\n'.repeat(5000));

  async function ended(): Promise<EncryptedSpool> {
    const spool = service.create((e) => {
      throw e;
    });
    spool.write(plain);
    await spool.end();
    return spool;
  }

  it('hands over a 0600 plaintext copy that has no name in the spool directory, and leaves nothing', async () => {
    const spool = await ended();
    const seen = await service.withPlaintextCopy(spool, (path) => {
      const names = readdirSync(spoolDir);
      return Promise.resolve({
        bytes: readFileSync(path),
        mode: statSync(path).mode & 0o777,
        plainNames: names.filter((n) => n.endsWith('.plain')),
        path,
      });
    });
    expect(seen.bytes.equals(plain)).toBe(true);
    expect(seen.mode).toBe(0o600);
    expect(seen.path).toMatch(/^\/proc\/self\/fd\/\d+$/); // Linux: read through the open descriptor
    expect(seen.plainNames).toEqual([]);
    spool.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(statSync(spoolDir).mode & 0o777).toBe(0o700);
  });

  it('a spool changed on disk fails before the reader runs, and no copy is left', async () => {
    const spool = await ended();
    const bytes = readFileSync(spool.path);
    bytes[100] = (bytes[100] as number) ^ 1;
    writeFileSync(spool.path, bytes);
    let ran = false;
    await expect(
      service.withPlaintextCopy(spool, () => {
        ran = true;
        return Promise.resolve();
      }),
    ).rejects.toThrow(/authenticate/);
    expect(ran).toBe(false);
    expect(readdirSync(spoolDir).filter((n) => n.endsWith('.plain'))).toEqual([]);
    spool.destroy();
  });

  it('the reader failing still removes the copy', async () => {
    const spool = await ended();
    await expect(
      service.withPlaintextCopy(spool, () => Promise.reject(new Error('bad file'))),
    ).rejects.toThrow('bad file');
    expect(readdirSync(spoolDir).filter((n) => n.endsWith('.plain'))).toEqual([]);
    spool.destroy();
  });

  it('start-up sweeps plaintext copies and spools left by a killed process, and nothing else', async () => {
    const left = [
      'upload-00000000-0000-4000-8000-000000000001.plain',
      'upload-00000000-0000-4000-8000-000000000002.spool',
    ];
    for (const name of [...left, 'keep.txt']) writeFileSync(join(spoolDir, name), 'x');
    await new UploadSpoolService(
      loadConfig({ FAIRWATCH_DATA_DIR: dir, FAIRWATCH_SPOOL_DIR: spoolDir }),
    ).onModuleInit();
    expect(readdirSync(spoolDir)).toEqual(['keep.txt']);
    rmSync(join(spoolDir, 'keep.txt'));
  });
});

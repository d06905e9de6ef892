import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptedSpool } from './upload-spool';

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

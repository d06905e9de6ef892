import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes, randomUUID, type CipherGCM } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, type AppConfig } from '../../config';

const ALGORITHM = 'aes-256-gcm';
/** Spool file names (encrypted spools and plaintext copies): only these are removed from the spool directory at start-up. */
const SPOOL_FILE = /^upload-[0-9a-f-]{36}\.(spool|plain)$/;
/** Bytes decrypted per chunk. */
const DECRYPT_CHUNK = 1024 * 1024;
/** Linux: an open file can be reopened by path through /proc/self/fd after its name is gone. */
const PROC_SELF_FD = existsSync('/proc/self/fd');

/**
 * One upload's file part, spooled to disk encrypted (AES-256-GCM) under a random key and IV that exist only
 * in this object's memory: a copy left on disk by a crash, a kill -9 or a power cut is unreadable, patient
 * identifiers and free-text columns included. Reading it back checks the GCM tag (a changed file fails).
 */
export class EncryptedSpool {
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(12);
  private readonly cipher: CipherGCM = createCipheriv(ALGORITHM, this.key, this.iv);
  private readonly file: WriteStream;
  private readonly closed: Promise<void>;
  private tag?: Buffer;
  private destroyed = false;

  constructor(
    readonly path: string,
    /** Called once with the first write error (disk full, directory removed). */
    onError: (err: Error) => void,
  ) {
    this.file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.closed = new Promise<void>((resolve, reject) => {
      this.file.on('finish', resolve);
      this.file.on('error', reject);
    });
    this.closed.catch(onError);
  }

  /** Encrypts and writes a chunk; false when the caller should wait for `onDrain`. */
  write(chunk: Buffer): boolean {
    return this.file.write(this.cipher.update(chunk));
  }

  onDrain(listener: () => void): void {
    this.file.once('drain', listener);
  }

  /** Ends the file; resolves once it is fully written. */
  async end(): Promise<void> {
    this.file.end(this.cipher.final());
    this.tag = this.cipher.getAuthTag();
    await this.closed;
  }

  /** The plaintext, decrypted chunk by chunk; throws at the end if the file was changed. */
  async *read(highWaterMark: number): AsyncGenerator<Buffer> {
    if (!this.tag) throw new Error('spool read before end()');
    const decipher = createDecipheriv(ALGORITHM, this.key, this.iv);
    decipher.setAuthTag(this.tag);
    for await (const chunk of createReadStream(this.path, { highWaterMark })) {
      if (this.destroyed) return;
      yield decipher.update(chunk as Buffer);
    }
    yield decipher.final();
  }

  /** Stops writing and deletes the file (also when still being written). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.file.destroy();
    this.key.fill(0);
    void rm(this.path, { force: true }).catch(() => undefined);
  }
}

/**
 * The directory where a multipart upload's file part is spooled when it cannot be parsed as it arrives (a CSV
 * before its config, any Parquet file): FAIRWATCH_SPOOL_DIR,
 * else `<FAIRWATCH_DATA_DIR>/spool`, created with mode 0700 and emptied of earlier spool files at start-up
 * (a process that was killed mid-upload could not delete its own; they are unreadable, but they take space).
 * With an in-memory data dir (tests) each process gets its own temporary directory, removed at shutdown.
 * One directory per running instance: two instances sharing it would delete each other's spools at start-up.
 */
@Injectable()
export class UploadSpoolService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(UploadSpoolService.name);
  private dir?: string;
  private privateDir = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.spoolDir;
    if (configured === null) {
      this.dir = await mkdtemp(join(tmpdir(), 'fairwatch-spool-')); // mode 0700
      this.privateDir = true;
      return;
    }
    await mkdir(configured, { recursive: true, mode: 0o700 });
    await chmod(configured, 0o700); // mkdir leaves an existing directory's mode alone
    this.dir = configured;
    const leftovers = (await readdir(configured)).filter((name) => SPOOL_FILE.test(name));
    await Promise.all(leftovers.map((name) => rm(join(configured, name), { force: true })));
    if (leftovers.length > 0) {
      // Plaintext copies only survive a crash where /proc/self/fd is missing (see withPlaintextCopy).
      const plaintext = leftovers.filter((name) => name.endsWith('.plain')).length;
      this.logger.warn(
        { removed: leftovers.length, plaintext },
        plaintext > 0
          ? 'Removed upload spool files and plaintext Parquet copies left by an earlier process'
          : 'Removed upload spool files left by an earlier process (encrypted, unreadable)',
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.privateDir && this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** The spool directory (after start-up). */
  get directory(): string | undefined {
    return this.dir;
  }

  /** A new encrypted spool file in the spool directory. */
  create(onError: (err: Error) => void): EncryptedSpool {
    return new EncryptedSpool(join(this.directoryOrThrow(), `upload-${randomUUID()}.spool`), onError);
  }

  /**
   * Runs `use` with the path of a plaintext copy of an ended spool, for a reader that needs a file (DuckDB
   * reads Parquet by path). The copy is written with mode 0600 into the 0700 spool directory and lives only
   * as long as `use`: on Linux its name is removed as soon as it is opened, and `use` reads it through
   * /proc/self/fd (a process killed meanwhile leaves no file behind, the kernel frees it); elsewhere the file is
   * removed when `use` settles, or at the next start-up after a crash. A spool changed on disk fails the GCM
   * check before `use` runs. docs/uploads.md says why this way.
   */
  async withPlaintextCopy<T>(spool: EncryptedSpool, use: (path: string) => Promise<T>): Promise<T> {
    const path = join(this.directoryOrThrow(), `upload-${randomUUID()}.plain`);
    let handle: FileHandle | undefined;
    try {
      await pipeline(
        Readable.from(spool.read(DECRYPT_CHUNK)),
        createWriteStream(path, { flags: 'wx', mode: 0o600 }),
      );
      if (!PROC_SELF_FD) return await use(path);
      handle = await open(path, 'r');
      await rm(path);
      return await use(`/proc/self/fd/${handle.fd}`);
    } finally {
      await handle?.close();
      await rm(path, { force: true });
    }
  }

  private directoryOrThrow(): string {
    if (!this.dir) throw new Error('UploadSpoolService used before start-up');
    return this.dir;
  }
}

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config';
import { SigningKeyEntity } from './entities/signing-key.entity';

export interface SigningKey {
  id: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

/** Serialises first-start key generation across processes sharing one database. */
const KEY_LOCK = 0x66777367; // "fwsg"

/** Key id: the first 16 hex digits of the SHA-256 of the public key's SPKI DER. */
export function signingKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

function publicPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * The instance's Ed25519 report-signing key: REPORT_SIGNING_KEY when set, else one generated on the first start
 * and kept in `signing_keys` (reused on later starts; concurrent first starts agree on one key). Every key
 * that has signed is recorded with its public key, so verification uses the key a report names.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private current?: Promise<SigningKey>;
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.key();
  }

  /** The key new reports are signed with. */
  key(): Promise<SigningKey> {
    this.current ??= this.load().catch((err: unknown) => {
      this.current = undefined;
      throw err;
    });
    return this.current;
  }

  async sign(data: Buffer): Promise<{ signature: string; keyId: string }> {
    const key = await this.key();
    return { signature: sign(null, data, key.privateKey).toString('base64'), keyId: key.id };
  }

  /** Whether `signature` (base64) is a valid signature of `data` by the recorded key `keyId`. */
  async verify(data: Buffer, signature: string, keyId: string): Promise<boolean> {
    const publicKey = await this.publicKey(keyId);
    if (!publicKey) return false;
    try {
      return verify(null, data, publicKey, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }

  private async publicKey(keyId: string): Promise<KeyObject | null> {
    const cached = this.publicKeys.get(keyId);
    if (cached) return cached;
    const row = await this.dataSource.getRepository(SigningKeyEntity).findOneBy({ id: keyId });
    if (!row) return null;
    const key = createPublicKey(row.publicKeyPem);
    if (signingKeyId(key) !== keyId) return null; // a tampered row
    this.publicKeys.set(keyId, key);
    return key;
  }

  private async load(): Promise<SigningKey> {
    const key = this.config.signingKeyPem
      ? await this.fromConfig(this.config.signingKeyPem)
      : await this.stored();
    this.publicKeys.set(key.id, createPublicKey(key.privateKey));
    return key;
  }

  private async fromConfig(pem: string): Promise<SigningKey> {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch {
      throw new Error('REPORT_SIGNING_KEY is not a PEM private key');
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(
        `REPORT_SIGNING_KEY must be an Ed25519 key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`,
      );
    }
    const publicKey = createPublicKey(privateKey);
    const id = signingKeyId(publicKey);
    const publicKeyPem = publicPem(publicKey);
    await this.dataSource.query(
      `INSERT INTO "signing_keys" ("id", "public_key_pem", "private_key_pem") VALUES ($1, $2, NULL)
       ON CONFLICT ("id") DO NOTHING`,
      [id, publicKeyPem],
    );
    return { id, publicKeyPem, privateKey };
  }

  /** The oldest stored key with a private key; generated and stored if there is none. */
  private async stored(): Promise<SigningKey> {
    const row = await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const existing = await this.oldestPrivate(m.getRepository(SigningKeyEntity));
      if (existing) return existing;
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      await m.query(
        `INSERT INTO "signing_keys" ("id", "public_key_pem", "private_key_pem") VALUES ($1, $2, $3)
         ON CONFLICT ("id") DO NOTHING`,
        [
          signingKeyId(publicKey),
          publicPem(publicKey),
          privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        ],
      );
      return this.oldestPrivate(m.getRepository(SigningKeyEntity));
    });
    if (!row?.privateKeyPem) throw new Error('Could not store the report signing key');
    const privateKey = createPrivateKey(row.privateKeyPem);
    return { id: row.id, publicKeyPem: row.publicKeyPem, privateKey };
  }

  private oldestPrivate(repo: Repository<SigningKeyEntity>): Promise<SigningKeyEntity | null> {
    return repo
      .createQueryBuilder('k')
      .where('k.privateKeyPem IS NOT NULL')
      .orderBy('k.createdAt', 'ASC')
      .addOrderBy('k.id', 'ASC')
      .getOne();
  }
}

/**
 * The application's configuration: read from the environment once, validated, typed. This is the only file
 * that reads process.env (main.ts passes it in); everything else receives an AppConfig.
 */
import { join, resolve } from 'node:path';
import { DEFAULT_INGEST_LIMITS } from '../core/ingest';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface AppConfig {
  port: number;
  host: string;
  /** PostgreSQL URL; null = embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  /** Embedded database, signing key. `null` for an in-memory PGlite (tests only). */
  dataDir: string | null;
  /**
   * Where file-first uploads are spooled (encrypted) until their config arrives: FAIRWATCH_SPOOL_DIR, else
   * `<dataDir>/spool`; null with an in-memory data dir (a private temporary directory per process).
   */
  spoolDir: string | null;
  adminApiKey: string | null;
  logLevel: LogLevel;
  /** Append logs to this file instead of stdout. */
  logFile: string | null;
  limits: {
    /** Maximum upload size in bytes (the multipart file of an audit). */
    maxUploadBytes: number;
    /**
     * Maximum application/json audit upload (FAIRWATCH_MAX_JSON_UPLOAD_BYTES, default 64 MiB): a JSON body is
     * parsed whole and its parse tree takes several times its size, so large data goes through multipart CSV.
     */
    maxJsonUploadBytes: number;
    /** Maximum JSON body for every other route. */
    maxJsonBodyBytes: number;
    maxRows: number;
    maxAttributes: number;
    maxGroupsPerAttribute: number;
    maxFieldBytes: number;
  };
  rateLimit: {
    /** Requests per API key per minute (per client address on public routes). */
    requestsPerMinute: number;
    /** Failed authentications per client address per minute before the address gets 429s. */
    authFailuresPerMinute: number;
  };
  /** Express `trust proxy`: which proxies' X-Forwarded-For gives the client address. false = none. */
  trustProxy: boolean | number | string;
  corsOrigins: string[];
  /** Ed25519 private key (PEM) for report signatures; null = generated on first start and kept in the database. */
  signingKeyPem: string | null;
  version: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Sizes like "512mb", "64kb", "1gb" or plain bytes. */
function bytes(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const m = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  if (!m || m[1] === undefined)
    throw new ConfigError(name, `must be a size like 512mb, 64kb or a byte count, got "${raw}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = unit === 'gb' ? 1024 ** 3 : unit === 'mb' ? 1024 ** 2 : unit === 'kb' ? 1024 : 1;
  const value = Number(m[1]) * factor;
  if (value < 1) throw new ConfigError(name, 'must be positive');
  return value;
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL (expected postgres://user:pass@host:5432/db)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must use postgres:// or postgresql://, got ${url.protocol}`);
  }
  return raw;
}

function adminApiKey(env: Env): string | null {
  const raw = env.ADMIN_API_KEY;
  if (raw === undefined || raw === '') return null;
  if (raw.length < 24) throw new ConfigError('ADMIN_API_KEY', 'must be at least 24 characters long');
  if (!/^[\x21-\x7e]+$/.test(raw))
    throw new ConfigError('ADMIN_API_KEY', 'must be printable ASCII without spaces');
  return raw;
}

function logLevel(env: Env): LogLevel {
  const raw = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return raw as LogLevel;
}

/**
 * TRUST_PROXY: unset = the peer address is the client; a hop count ("1": one load balancer in front); or
 * addresses/subnets of the trusted proxies ("10.0.0.0/8,loopback"). "true" (trust every hop) is refused: any
 * client could then choose its own address with X-Forwarded-For and escape the per-address limits.
 */
function trustProxy(env: Env): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return integer(env, 'TRUST_PROXY', 0, 0, 100);
  if (raw === 'true')
    throw new ConfigError(
      'TRUST_PROXY',
      'must be a hop count or proxy addresses, not "true" (clients could spoof)',
    );
  if (!/^[0-9A-Za-z.:/,\s-]+$/.test(raw))
    throw new ConfigError(
      'TRUST_PROXY',
      `must be a hop count or comma-separated addresses/subnets, got "${raw}"`,
    );
  return raw;
}

export function loadConfig(env: Env, version = '0.0.0'): AppConfig {
  const dataDirRaw = env.FAIRWATCH_DATA_DIR;
  const dataDir =
    dataDirRaw === ':memory:'
      ? null
      : resolve(dataDirRaw && dataDirRaw.trim() !== '' ? dataDirRaw : './data');
  const spoolDirRaw = env.FAIRWATCH_SPOOL_DIR;
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST && env.HOST.trim() !== '' ? env.HOST : '0.0.0.0',
    databaseUrl: databaseUrl(env),
    dataDir,
    spoolDir:
      spoolDirRaw && spoolDirRaw.trim() !== ''
        ? resolve(spoolDirRaw)
        : dataDir === null
          ? null
          : join(dataDir, 'spool'),
    adminApiKey: adminApiKey(env),
    logLevel: logLevel(env),
    logFile: env.LOG_FILE && env.LOG_FILE.trim() !== '' ? resolve(env.LOG_FILE) : null,
    limits: {
      maxUploadBytes: bytes(env, 'MAX_UPLOAD_SIZE', 512 * 1024 ** 2),
      maxJsonUploadBytes: bytes(env, 'FAIRWATCH_MAX_JSON_UPLOAD_BYTES', 64 * 1024 ** 2),
      maxJsonBodyBytes: bytes(env, 'MAX_JSON_BODY_SIZE', 1024 ** 2),
      maxRows: integer(env, 'MAX_ROWS', DEFAULT_INGEST_LIMITS.maxRows, 1, 1_000_000_000),
      maxAttributes: integer(env, 'MAX_ATTRIBUTES', DEFAULT_INGEST_LIMITS.maxAttributes, 1, 64),
      maxGroupsPerAttribute: integer(
        env,
        'MAX_GROUPS_PER_ATTRIBUTE',
        DEFAULT_INGEST_LIMITS.maxGroupsPerAttribute,
        2,
        10_000,
      ),
      maxFieldBytes: bytes(env, 'MAX_FIELD_SIZE', DEFAULT_INGEST_LIMITS.maxFieldBytes),
    },
    rateLimit: {
      requestsPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      authFailuresPerMinute: integer(env, 'AUTH_FAILURES_PER_MINUTE', 20, 1, 1_000_000),
    },
    trustProxy: trustProxy(env),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    signingKeyPem:
      env.REPORT_SIGNING_KEY && env.REPORT_SIGNING_KEY.trim() !== '' ? env.REPORT_SIGNING_KEY : null,
    version,
  };
}

/** Injection token for the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

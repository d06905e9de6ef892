import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config';
import { AuditTrailService } from './audit-trail.service';

export type AuthFailureReason = 'missing key' | 'unknown key' | 'revoked key' | 'rate limited';

/** One `auth.failed` event: every failure of one client address (and organization, if known) in a window. */
export interface FailureSummary {
  clientAddress: string;
  organizationId: string | null;
  count: number;
  reasons: Partial<Record<AuthFailureReason, number>>;
  /** The first few distinct routes tried. */
  routes: string[];
  firstAt: number;
  lastAt: number;
}

export const WINDOW_MS = 60_000;
/** A key that authenticated is let through a blocked address for this long (shared NAT, proxies). */
const GOOD_KEY_TTL_MS = 10 * 60_000;
/** Bounds on what is held in memory, whatever the number of addresses an attacker uses. */
const MAX_ADDRESSES = 100_000;
const MAX_GOOD_KEYS = 10_000;
const MAX_SUMMARIES = 10_000;
const MAX_ROUTES = 10;

/** Drops the oldest entries (Maps iterate in insertion order) once `map` holds more than `max`. */
function bound<K, V>(map: Map<K, V>, max: number): void {
  for (const k of map.keys()) {
    if (map.size <= max) return;
    map.delete(k);
  }
}

/**
 * Failed authentications per client address in fixed one-minute windows, counted in memory (per replica)
 * before any database work. A lookup is admitted only while the address's failures plus its lookups still in
 * flight are under `limit`, so even a burst of concurrent requests costs at most `limit` lookups per minute;
 * an address at its limit is blocked until its window ends. Keys that recently authenticated (by SHA-256) skip
 * the check, so one good key behind the same NAT as an attacker keeps working. Time is a parameter, so the
 * rules are tested without a clock.
 */
export class FailureWindows {
  private readonly windows = new Map<string, { start: number; failures: number; inFlight: number }>();
  private readonly goodKeys = new Map<string, number>();
  private readonly summaries = new Map<string, FailureSummary>();

  constructor(private readonly limit: number) {}

  private window(address: string, now: number): { start: number; failures: number; inFlight: number } {
    let w = this.windows.get(address);
    if (w && now - w.start >= WINDOW_MS) {
      w.start = now;
      w.failures = 0;
    }
    if (!w) {
      w = { start: now, failures: 0, inFlight: 0 };
      this.windows.set(address, w);
      bound(this.windows, MAX_ADDRESSES);
    }
    return w;
  }

  /**
   * Admits one key lookup for `address` (0; call `release` when it is done) or says how many seconds to wait:
   * until the window ends when its failures reached the limit, else 1 (lookups in flight fill the budget).
   */
  admit(address: string, now: number): number {
    const w = this.window(address, now);
    if (w.failures >= this.limit) return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    if (w.failures + w.inFlight >= this.limit) return 1;
    w.inFlight += 1;
    return 0;
  }

  /** Ends an admitted lookup (whatever its outcome; a failure is counted by `failed`). */
  release(address: string): void {
    const w = this.windows.get(address);
    if (w && w.inFlight > 0) w.inFlight -= 1;
  }

  /** Whether a key with this hash authenticated recently. */
  isKnownGood(keyHash: string, now: number): boolean {
    const until = this.goodKeys.get(keyHash);
    if (until === undefined) return false;
    if (until > now) return true;
    this.goodKeys.delete(keyHash);
    return false;
  }

  succeeded(keyHash: string, now: number): void {
    this.goodKeys.delete(keyHash);
    this.goodKeys.set(keyHash, now + GOOD_KEY_TTL_MS);
    bound(this.goodKeys, MAX_GOOD_KEYS);
  }

  /**
   * Counts a failure of `address`: a rejected key or a missing one counts towards its block; one refused
   * because the address is blocked (`rate limited`) is only summarised.
   */
  failed(
    address: string,
    reason: AuthFailureReason,
    route: string,
    organizationId: string | null,
    now: number,
  ): void {
    if (reason !== 'rate limited') this.window(address, now).failures += 1;
    const key = `${address}\u0000${organizationId ?? ''}`;
    let s = this.summaries.get(key);
    if (!s) {
      s = {
        clientAddress: address,
        organizationId,
        count: 0,
        reasons: {},
        routes: [],
        firstAt: now,
        lastAt: now,
      };
      this.summaries.set(key, s);
      bound(this.summaries, MAX_SUMMARIES);
    }
    s.count += 1;
    s.reasons[reason] = (s.reasons[reason] ?? 0) + 1;
    s.lastAt = now;
    if (s.routes.length < MAX_ROUTES && !s.routes.includes(route)) s.routes.push(route);
  }

  /** The summaries gathered since the last drain, and a fresh start. */
  drain(): FailureSummary[] {
    const out = [...this.summaries.values()];
    this.summaries.clear();
    return out;
  }
}

/**
 * The AuthGuard's limiter for failed authentication, and the writer of its `auth.failed` events: at most one
 * per client address (and organization) per minute, with the count, the reasons and the routes, written
 * every minute and at shutdown, instead of one hash-chained row per bad request.
 */
@Injectable()
export class AuthFailureLimiter implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuthFailureLimiter.name);
  private readonly windows: FailureWindows;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly trail: AuditTrailService,
  ) {
    this.windows = new FailureWindows(config.rateLimit.authFailuresPerMinute);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), WINDOW_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Writes what is pending before the database closes (TypeORM closes it in onApplicationShutdown). */
  beforeApplicationShutdown(): Promise<void> {
    return this.flush();
  }

  admit(address: string): number {
    return this.windows.admit(address, Date.now());
  }

  release(address: string): void {
    this.windows.release(address);
  }

  isKnownGood(keyHash: string): boolean {
    return this.windows.isKnownGood(keyHash, Date.now());
  }

  succeeded(keyHash: string): void {
    this.windows.succeeded(keyHash, Date.now());
  }

  failed(
    address: string,
    reason: AuthFailureReason,
    route: string,
    organizationId: string | null = null,
  ): void {
    this.windows.failed(address, reason, route, organizationId, Date.now());
  }

  /** Records one `auth.failed` event per pending summary. Flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write(this.windows.drain()));
    return this.flushing;
  }

  private async write(summaries: FailureSummary[]): Promise<void> {
    for (const s of summaries) {
      try {
        await this.trail.record({
          action: 'auth.failed',
          outcome: 'failure',
          principal: null,
          organizationId: s.organizationId,
          details: {
            clientAddress: s.clientAddress,
            count: s.count,
            reasons: s.reasons,
            routes: s.routes,
            firstAt: new Date(s.firstAt).toISOString(),
            lastAt: new Date(s.lastAt).toISOString(),
          },
        });
      } catch (err) {
        this.logger.error({ err, failures: s.count }, 'Could not record failed authentications');
      }
    }
  }
}

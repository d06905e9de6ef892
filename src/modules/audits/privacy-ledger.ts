/**
 * What a model's noised audits have spent of its differential-privacy budget. Basic composition: releasing
 * an (ε₁, δ₁)-DP and an (ε₂, δ₂)-DP table about the same people is (ε₁ + ε₂, δ₁ + δ₂)-DP, so the spending is
 * the sum over the model's audits with `config.privacy` (docs/privacy.md, "Budget"). Read from the audits'
 * stored configs, so an audit is spent exactly when it is stored, and an idempotent replay spends nothing.
 */
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../core/errors';
import type { PrivacyConfig } from '../../core/ingest';
import type { PrivacySpent } from './audits.types';

export interface PrivacyLimit {
  /** null: no budget set (spending is still recorded). */
  epsilon: number | null;
  delta: number | null;
}

/** Sums of floating-point ε may exceed an equal budget by rounding (0.1 + 0.2 > 0.3): allow that much. */
const ROUNDING_SLACK = 1e-9;

const SPENT_SQL = `
  SELECT COALESCE(SUM(("config" -> 'privacy' ->> 'epsilon')::float8), 0) AS "epsilon",
         COALESCE(SUM(("config" -> 'privacy' ->> 'delta')::float8), 0) AS "delta",
         COUNT(*)::int AS "audits"
  FROM "audits"
  WHERE "organization_id" = $1 AND "model_id" = $2 AND "config" -> 'privacy' IS NOT NULL`;

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export async function readPrivacySpent(
  db: Queryable,
  organizationId: string,
  modelId: string,
): Promise<PrivacySpent> {
  const rows = (await db.query(SPENT_SQL, [organizationId, modelId])) as PrivacySpent[];
  const row = rows[0];
  return {
    epsilon: Number(row?.epsilon ?? 0),
    delta: Number(row?.delta ?? 0),
    audits: Number(row?.audits ?? 0),
  };
}

/**
 * Serialises the noised uploads of one model until the transaction ends, so two concurrent uploads cannot
 * both fit in what remains (each reads the other's spending only after it committed).
 */
export async function lockModelLedger(m: EntityManager, modelId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`privacy-budget:${modelId}`]);
}

/** Throws 409 when spending `privacy` on top of `spent` would exceed `limit`. */
export function checkBudget(privacy: PrivacyConfig, spent: PrivacySpent, limit: PrivacyLimit): void {
  if (limit.epsilon === null) return;
  const problems: { field: string; message: string }[] = [];
  const remainingEpsilon = Math.max(0, limit.epsilon - spent.epsilon);
  if (privacy.epsilon > remainingEpsilon * (1 + ROUNDING_SLACK) + ROUNDING_SLACK) {
    problems.push({
      field: 'config.privacy.epsilon',
      message: `ε = ${privacy.epsilon} exceeds the model's remaining budget ε = ${round(remainingEpsilon)} (spent ${round(spent.epsilon)} of ${limit.epsilon})`,
    });
  }
  const delta = privacy.delta ?? 0;
  const remainingDelta = Math.max(0, (limit.delta ?? 0) - spent.delta);
  if (delta > 0 && delta > remainingDelta * (1 + ROUNDING_SLACK)) {
    problems.push({
      field: 'config.privacy.delta',
      message: `δ = ${delta} exceeds the model's remaining budget δ = ${remainingDelta} (spent ${spent.delta} of ${limit.delta ?? 0})`,
    });
  }
  if (problems.length > 0) {
    throw new DomainError(
      'conflict',
      "This noised upload would exceed the model's privacy budget; nothing was stored.",
      problems,
    );
  }
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

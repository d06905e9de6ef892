import type { ControlEvidence, ControlStatus } from '../types';
import type { RuleVerdict } from '../rule-spec';

/** At most this many evidence entries per control: the worst ones. */
export const MAX_EVIDENCE = 10;

/** inconclusive ranks above pass (nothing was shown to be fine) and below review (nothing was found). */
const RANK: Record<ControlStatus, number> = {
  not_applicable: 0,
  pass: 1,
  inconclusive: 2,
  review: 3,
  fail: 4,
};

export function worse(a: ControlStatus, b: ControlStatus): ControlStatus {
  return RANK[b] > RANK[a] ? b : a;
}

export function rank(status: ControlStatus): number {
  return RANK[status];
}

/** One observation a rule made, with the sentence that explains it should it decide the outcome. */
export interface Finding {
  status: Exclude<ControlStatus, 'not_applicable'>;
  evidence: ControlEvidence;
  sentence: string;
  /** Lower sorts first among findings of the same status (e.g. the impact ratio). */
  order?: number;
}

/** The worst finding decides and explains; evidence lists the worst first. */
export function verdictFromFindings(findings: Finding[], passSentence: string): RuleVerdict {
  const sorted = [...findings].sort(
    (a, b) => RANK[b.status] - RANK[a.status] || (a.order ?? 0) - (b.order ?? 0),
  );
  const worst = sorted[0];
  const status = worst?.status ?? 'pass';
  return {
    status,
    evidence: sorted.slice(0, MAX_EVIDENCE).map((f) => f.evidence),
    rationale: status === 'pass' || !worst ? passSentence : worst.sentence,
  };
}

export function verdict(
  status: ControlStatus,
  rationale: string,
  evidence: ControlEvidence[] = [],
): RuleVerdict {
  return { status, rationale, evidence: evidence.slice(0, MAX_EVIDENCE) };
}

import type { AuditRoundPartEntity } from './entities/audit-round-part.entity';
import type { AuditRoundEntity } from './entities/audit-round.entity';

/** A federated round as the rest of the application sees it: read-only. */
export type AuditRound = Readonly<AuditRoundEntity>;

/** A submitted part, without its rows. */
export type RoundPart = Readonly<Omit<AuditRoundPartEntity, 'batch'>>;

/** A round with the parts submitted so far (in the round's site order). */
export interface RoundStatus {
  round: AuditRound;
  parts: RoundPart[];
}

/** POST /v1/models/{modelId}/audit-rounds: validated by core/rounds (sites, config). */
export interface NewRound {
  name: string;
  sites: unknown;
  config: unknown;
}

export interface CloseOptions {
  /** Close although some sites have not submitted (they are recorded as missing). */
  allowMissing?: boolean;
}

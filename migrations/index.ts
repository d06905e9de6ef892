/** Every migration, in order. Migrations never import src/: history must not change when entities do. */
import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';
import { ModelDriftPolicy1764400001000 } from './1764400001000-ModelDriftPolicy';
import { AuditMetricValues1764400002000 } from './1764400002000-AuditMetricValues';
import { AuditTrailChains1764400003000 } from './1764400003000-AuditTrailChains';
import { ScrubForeignKeyPrefixes1764400004000 } from './1764400004000-ScrubForeignKeyPrefixes';
import { AuditDataSourceAndExports1764400021000 } from './1764400021000-AuditDataSourceAndExports';
import { ModelPrivacyBudget1764400023000 } from './1764400023000-ModelPrivacyBudget';

export const MIGRATIONS = [
  InitialSchema1764400000000,
  ModelDriftPolicy1764400001000,
  AuditMetricValues1764400002000,
  AuditTrailChains1764400003000,
  ScrubForeignKeyPrefixes1764400004000,
  AuditDataSourceAndExports1764400021000,
  ModelPrivacyBudget1764400023000,
];

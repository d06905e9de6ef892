import type { Type } from '@nestjs/common';
import { AuditsModule } from './audits/audits.module';
import { ConsoleModule } from './console/console.module';
import { ComplianceModule } from './compliance/compliance.module';
import { DriftModule } from './drift/drift.module';
import { ExportsModule } from './exports/exports.module';
import { ModelsModule } from './models/models.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ReportsModule } from './reports/reports.module';
import { ScoreQualityModule } from './score-quality/score-quality.module';

/** The feature modules, in data-flow order. Each is a thin Nest shell over src/core. */
export const FEATURE_MODULES: Type[] = [
  ModelsModule,
  AuditsModule,
  DriftModule,
  PrivacyModule,
  ScoreQualityModule,
  ComplianceModule,
  ReportsModule,
  ExportsModule,
  ConsoleModule,
];

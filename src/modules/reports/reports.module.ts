import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditsModule } from '../audits/audits.module';
import { ComplianceModule } from '../compliance/compliance.module';
import { DriftModule } from '../drift/drift.module';
import { ModelsModule } from '../models/models.module';
import { ScoreQualityModule } from '../score-quality/score-quality.module';
import { SigningModule } from '../signing/signing.module';
import { ReportEntity } from './entities/report.entity';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Signed PDF reports of audits: creation, download, JSON form, verification and the public signing key. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReportEntity]),
    AuditsModule,
    ModelsModule,
    ComplianceModule,
    DriftModule,
    ScoreQualityModule,
    SigningModule,
  ],
  controllers: [ReportsController],
  providers: [ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditsModule } from '../audits/audits.module';
import { ComplianceModule } from '../compliance/compliance.module';
import { DriftModule } from '../drift/drift.module';
import { ModelsModule } from '../models/models.module';
import { ReportEntity } from './entities/report.entity';
import { SigningKeyEntity } from './entities/signing-key.entity';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { SigningKeyService } from './signing-key.service';

/** Signed PDF reports of audits: creation, download, JSON form, verification and the public signing key. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReportEntity, SigningKeyEntity]),
    AuditsModule,
    ModelsModule,
    ComplianceModule,
    DriftModule,
  ],
  controllers: [ReportsController],
  providers: [ReportsService, SigningKeyService],
  exports: [ReportsService],
})
export class ReportsModule {}

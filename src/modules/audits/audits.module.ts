import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ComputeModule } from '../compute/compute.module';
import { ModelsModule } from '../models/models.module';
import { UploadsModule } from '../uploads/uploads.module';
import { AuditStore } from './audit-store';
import { AuditSubmissionService } from './audit-submission.service';
import { AuditsController } from './audits.controller';
import { AuditsService } from './audits.service';
import { AuditDataEntity } from './entities/audit-data.entity';
import { AuditMetricValueEntity } from './entities/audit-metric-value.entity';
import { AuditEntity } from './entities/audit.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([AuditEntity, AuditDataEntity, AuditMetricValueEntity]),
    ModelsModule,
    ComputeModule,
    UploadsModule,
  ],
  controllers: [AuditsController],
  providers: [AuditStore, AuditsService, AuditSubmissionService],
  // AuditStore (the tables) stays inside: other modules use the services' methods (federated rounds submit
  // their pooled audit through AuditSubmissionService).
  exports: [AuditsService, AuditSubmissionService],
})
export class AuditsModule {}

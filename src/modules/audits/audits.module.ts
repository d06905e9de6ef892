import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ComputeModule } from '../compute/compute.module';
import { ModelsModule } from '../models/models.module';
import { AuditStore } from './audit-store';
import { AuditSubmissionService } from './audit-submission.service';
import { AuditsController } from './audits.controller';
import { AuditsService } from './audits.service';
import { AuditDataEntity } from './entities/audit-data.entity';
import { AuditMetricValueEntity } from './entities/audit-metric-value.entity';
import { AuditEntity } from './entities/audit.entity';
import { UploadSpoolService } from './upload/upload-spool';

@Module({
  imports: [
    TypeOrmModule.forFeature([AuditEntity, AuditDataEntity, AuditMetricValueEntity]),
    ModelsModule,
    ComputeModule,
  ],
  controllers: [AuditsController],
  providers: [AuditStore, AuditsService, AuditSubmissionService, UploadSpoolService],
  // AuditStore (the tables) stays inside: other modules use AuditsService's methods.
  exports: [AuditsService],
})
export class AuditsModule {}

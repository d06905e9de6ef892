import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModelsModule } from '../models/models.module';
import { AuditSubmissionService } from './audit-submission.service';
import { AuditsController } from './audits.controller';
import { AuditsService } from './audits.service';
import { AuditDataEntity } from './entities/audit-data.entity';
import { AuditMetricValueEntity } from './entities/audit-metric-value.entity';
import { AuditEntity } from './entities/audit.entity';
import { UploadSpoolService } from './upload/upload-spool';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEntity, AuditDataEntity, AuditMetricValueEntity]), ModelsModule],
  controllers: [AuditsController],
  providers: [AuditsService, AuditSubmissionService, UploadSpoolService],
  exports: [AuditsService],
})
export class AuditsModule {}

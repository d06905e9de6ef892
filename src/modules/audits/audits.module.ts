import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModelsModule } from '../models/models.module';
import { AuditsService } from './audits.service';
import { AuditDataEntity } from './entities/audit-data.entity';
import { AuditEntity } from './entities/audit.entity';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEntity, AuditDataEntity]), ModelsModule],
  controllers: [],
  providers: [AuditsService],
  exports: [AuditsService],
})
export class AuditsModule {}

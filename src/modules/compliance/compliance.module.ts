import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditsModule } from '../audits/audits.module';
import { DriftModule } from '../drift/drift.module';
import { ExportInputModule } from '../exports/export-input.module';
import { ModelsModule } from '../models/models.module';
import { CatalogService } from './catalog.service';
import { ComplianceController } from './compliance.controller';
import { ComplianceService } from './compliance.service';
import { CatalogControlEntity } from './entities/catalog-control.entity';
import { PolicyEntity } from './entities/policy.entity';
import { PolicyController } from './policy.controller';
import { PolicyService } from './policy.service';

/** Control catalog (seeded into the database), organization policies and control evaluation of audits. */
@Module({
  imports: [
    TypeOrmModule.forFeature([PolicyEntity, CatalogControlEntity]),
    AuditsModule,
    ModelsModule,
    DriftModule,
    ExportInputModule,
  ],
  controllers: [ComplianceController, PolicyController],
  providers: [CatalogService, PolicyService, ComplianceService],
  exports: [ComplianceService, PolicyService],
})
export class ComplianceModule {}

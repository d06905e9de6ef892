import { Module } from '@nestjs/common';
import { AuditsModule } from '../audits/audits.module';
import { DriftModule } from '../drift/drift.module';
import { ModelsModule } from '../models/models.module';
import { ExportInputService } from './export-input.service';

/** What the transparency exports are built from; shared with the compliance module (onc-hti-1 controls). */
@Module({
  imports: [AuditsModule, DriftModule, ModelsModule],
  providers: [ExportInputService],
  exports: [ExportInputService],
})
export class ExportInputModule {}

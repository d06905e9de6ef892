import { Module } from '@nestjs/common';
import { AuditsModule } from '../audits/audits.module';
import { ModelsModule } from '../models/models.module';
import { DriftController } from './drift.controller';
import { DriftService } from './drift.service';

/** Drift between audits, the model's baseline and drift thresholds, metric timelines. */
@Module({
  imports: [ModelsModule, AuditsModule],
  controllers: [DriftController],
  providers: [DriftService],
  exports: [DriftService],
})
export class DriftModule {}

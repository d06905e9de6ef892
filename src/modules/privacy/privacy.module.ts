import { Module } from '@nestjs/common';
import { AuditsModule } from '../audits/audits.module';
import { ModelsModule } from '../models/models.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyService } from './privacy.service';

/** Differential-privacy budgets per model (the noise itself is added before upload; docs/privacy.md). */
@Module({
  imports: [ModelsModule, AuditsModule],
  controllers: [PrivacyController],
  providers: [PrivacyService],
  exports: [PrivacyService],
})
export class PrivacyModule {}

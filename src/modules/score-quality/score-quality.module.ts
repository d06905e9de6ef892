import { Module } from '@nestjs/common';
import { AuditsModule } from '../audits/audits.module';
import { ScoreQualityController } from './score-quality.controller';
import { ScoreQualityService } from './score-quality.service';

/** Score quality per group: calibration and the threshold what-if. */
@Module({
  imports: [AuditsModule],
  controllers: [ScoreQualityController],
  providers: [ScoreQualityService],
  exports: [ScoreQualityService],
})
export class ScoreQualityModule {}

import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ProblemDto } from '../../common/problem';
import { uuidPipe } from '../../common/uuid.pipe';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { CalibrationDto, ThresholdsDto, ThresholdsQueryDto } from './dto/score-quality.dto';
import { ScoreQualityService } from './score-quality.service';

@ApiTags('Score quality')
@Controller('v1')
export class ScoreQualityController {
  constructor(private readonly scoreQuality: ScoreQualityService) {}

  @Get('audits/:auditId/calibration')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getCalibration',
    summary: 'Calibration per group: metrics and the 10-bin reliability curve with Wilson intervals',
    description:
      'Are the scores calibrated in every group? At the same score, does each group have the same observed rate? ' +
      'Brier score, expected calibration error, observed/expected ratio, logistic calibration intercept and slope ' +
      '(docs/metrics.md, "Score quality per group"). Needs labels and scores in [0, 1].',
  })
  @ApiOkResponse({ type: CalibrationDto, description: 'Calibration overall and per group of every slice' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'No labels or scores, or scores outside [0, 1]' })
  @ApiNotFoundResponse({ type: ProblemDto })
  async getCalibration(@Param('auditId', uuidPipe('auditId')) auditId: string): Promise<CalibrationDto> {
    return { auditId, ...(await this.scoreQuality.calibration(auditId)) };
  }

  @Get('audits/:auditId/thresholds')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getThresholds',
    summary: 'Threshold what-if per group: rates, alerts per 1,000 and net benefit at each threshold',
    description:
      'At each threshold t a patient is flagged when score >= t (the audit rule), so every figure equals a fresh ' +
      'audit at t. Per slice, each group also gets the threshold that would give it the true positive rate of the ' +
      "reference group at the audit's threshold (equal opportunity), with what it costs in alerts and net benefit.",
  })
  @ApiOkResponse({
    type: ThresholdsDto,
    description: 'The what-if table overall and per group of every slice',
  })
  @ApiBadRequestResponse({
    type: ProblemDto,
    description: 'No labels or scores, or an invalid threshold list',
  })
  @ApiNotFoundResponse({ type: ProblemDto })
  async getThresholds(
    @Param('auditId', uuidPipe('auditId')) auditId: string,
    @Query() query: ThresholdsQueryDto,
  ): Promise<ThresholdsDto> {
    return { auditId, ...(await this.scoreQuality.thresholds(auditId, query)) };
  }
}

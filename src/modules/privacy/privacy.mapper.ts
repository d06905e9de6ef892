import { PrivacyBudgetDto } from './dto/privacy-budget.dto';
import type { PrivacyBudgetStatus } from './privacy.types';

export function toPrivacyBudgetDto(status: PrivacyBudgetStatus): PrivacyBudgetDto {
  return { ...status, composition: 'basic' };
}

import { Injectable, type PipeTransform } from '@nestjs/common';
import { assertFrameworks, FRAMEWORK_IDS, type FrameworkId } from '../../core/compliance';
import { DomainError } from '../../core/errors';

/**
 * `?frameworks=a,b` (or repeated `frameworks=`) → known framework IDs; absent → undefined (the policy's).
 * An unknown or empty list is a 400 naming the bad IDs and listing the valid ones.
 */
@Injectable()
export class FrameworkListPipe implements PipeTransform<unknown, FrameworkId[] | undefined> {
  transform(value: unknown): FrameworkId[] | undefined {
    if (value === undefined) return undefined;
    const parts = Array.isArray(value) ? value : [value];
    const ids = parts
      .filter((p): p is string => typeof p === 'string')
      .flatMap((p) => p.split(','))
      .map((id) => id.trim())
      .filter((id) => id.length > 0);
    if (ids.length === 0 || ids.length > 100 || parts.some((p) => typeof p !== 'string')) {
      throw new DomainError(
        'invalid_input',
        `frameworks must be a comma-separated list of framework IDs: ${FRAMEWORK_IDS.join(', ')}.`,
        [{ field: 'frameworks', message: 'must list at least one framework ID' }],
      );
    }
    return assertFrameworks(ids);
  }
}

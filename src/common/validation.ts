import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type ProblemDetail } from '../core/errors';

function flatten(errors: ValidationError[], parent = ''): ProblemDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The global ValidationPipe: whitelist, unknown fields rejected, every problem listed with its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new DomainError(
        'invalid_input',
        details.map((d) => `${d.field}: ${d.message}`).join('; '),
        details,
      );
    },
  });
}

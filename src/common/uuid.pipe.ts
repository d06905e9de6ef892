import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../core/errors';

/** Route ids are UUIDs; anything else is a 400 naming the parameter. */
export const uuidPipe = (name: string): ParseUUIDPipe =>
  new ParseUUIDPipe({
    exceptionFactory: () =>
      new DomainError('invalid_input', `${name} must be a UUID.`, [
        { field: name, message: 'must be a UUID' },
      ]),
  });

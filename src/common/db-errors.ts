import { QueryFailedError } from 'typeorm';

/**
 * True when `err` is PostgreSQL's unique_violation (23505) on the named constraint. A check-then-insert races
 * with a concurrent request; the constraint is what decides, and this turns its error into the API's 409.
 */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driver = err.driverError as { code?: string; constraint?: string; message?: string };
  return (
    driver.code === '23505' && (driver.constraint === constraint || !!driver.message?.includes(constraint))
  );
}

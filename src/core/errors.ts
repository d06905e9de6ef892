/**
 * The one error type the pure core throws. The global exception filter maps each code to an HTTP status
 * in an exhaustive switch (src/common/problem.filter.ts), so adding a code is a compile error there until
 * it is mapped.
 */
export type DomainErrorCode =
  | 'invalid_input' // 400: malformed or semantically invalid input (CSV, JSON, config, values)
  | 'invalid_config' // 400: the audit config is invalid
  | 'unsupported_media_type' // 415
  | 'payload_too_large' // 413: size, rows or field over a configured limit
  | 'domain' // 422: the input is well-formed but a statistic cannot be computed (NaN score, ...)
  | 'not_found' // 404
  | 'conflict' // 409
  | 'forbidden' // 403
  | 'unauthorized' // 401
  | 'rate_limited'; // 429: too many requests (e.g. failed authentications) from one client

/** One input problem, naming where it is: a field of the request, or a row and column of the upload. */
export interface ProblemDetail {
  field?: string;
  /** 1-based data row number (the header is row 0). For JSON records, the 1-based record index. */
  row?: number;
  column?: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: ProblemDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

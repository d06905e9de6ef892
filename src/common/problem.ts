import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DomainErrorCode, ProblemDetail } from '../core/errors';

/** One input problem inside a problem document. */
export class ProblemErrorDto implements ProblemDetail {
  @ApiPropertyOptional({ description: 'Request field, e.g. "config.sensitiveAttributes"' })
  field?: string;
  @ApiPropertyOptional({
    description: '1-based data row of the upload (the header is row 0) or JSON record index',
  })
  row?: number;
  @ApiPropertyOptional({ description: 'Column of the upload' })
  column?: string;
  @ApiProperty()
  message: string;
}

/** RFC 9457 problem document, served as application/problem+json. */
export class ProblemDto {
  @ApiProperty({ example: 'https://fairwatch.dev/problems/invalid-input' })
  type: string;
  @ApiProperty({ example: 'Invalid input' })
  title: string;
  @ApiProperty({ example: 400 })
  status: number;
  @ApiProperty({ example: 'Row 17, column "score": "abc" is not a finite number.' })
  detail: string;
  @ApiPropertyOptional({ type: [ProblemErrorDto] })
  errors?: ProblemErrorDto[];
  @ApiPropertyOptional({ description: 'Request id, also in the X-Request-Id header' })
  requestId?: string;
}

export interface ProblemKind {
  status: number;
  title: string;
  slug: string;
}

/** Maps each domain error code to its HTTP status. Exhaustive: a new code fails to compile until mapped. */
export function problemKind(code: DomainErrorCode): ProblemKind {
  switch (code) {
    case 'invalid_input':
      return { status: 400, title: 'Invalid input', slug: 'invalid-input' };
    case 'invalid_config':
      return { status: 400, title: 'Invalid audit configuration', slug: 'invalid-config' };
    case 'unsupported_media_type':
      return { status: 415, title: 'Unsupported media type', slug: 'unsupported-media-type' };
    case 'payload_too_large':
      return { status: 413, title: 'Payload too large', slug: 'payload-too-large' };
    case 'domain':
      return { status: 422, title: 'Cannot compute', slug: 'unprocessable' };
    case 'not_found':
      return { status: 404, title: 'Not found', slug: 'not-found' };
    case 'conflict':
      return { status: 409, title: 'Conflict', slug: 'conflict' };
    case 'forbidden':
      return { status: 403, title: 'Forbidden', slug: 'forbidden' };
    case 'unauthorized':
      return { status: 401, title: 'Unauthorized', slug: 'unauthorized' };
    case 'rate_limited':
      return { status: 429, title: 'Too many requests', slug: 'too-many-requests' };
  }
}

export const PROBLEM_BASE = 'https://fairwatch.dev/problems/';

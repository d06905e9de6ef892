import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainError, type ProblemDetail } from '../core/errors';
import { PROBLEM_BASE, problemKind, type ProblemDto } from './problem';

const HTTP_TITLES: Record<number, string> = {
  400: 'Invalid input',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Cannot compute',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** A problem for an HTTP status raised outside the domain (routing, body parser, validation, health). */
function httpProblem(status: number, detail: string, errors?: ProblemDetail[]): ProblemDto {
  const title = HTTP_TITLES[status] ?? 'Request error';
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { type: PROBLEM_BASE + slug, title, status, detail, ...(errors ? { errors } : {}) };
}

/** Nest's own HttpExceptions (routing, body parser, ValidationPipe) as problem fields. */
function fromHttpException(err: HttpException): { status: number; detail: string; errors?: ProblemDetail[] } {
  const status = err.getStatus();
  const body = err.getResponse();
  if (typeof body === 'object' && body !== null) {
    const b = body as { message?: unknown; errors?: ProblemDetail[] };
    if (Array.isArray(b.errors))
      return { status, detail: typeof b.message === 'string' ? b.message : err.message, errors: b.errors };
    if (Array.isArray(b.message)) {
      const errors = b.message.map((m) => ({ message: String(m) }));
      return { status, detail: errors.map((e) => e.message).join('; '), errors };
    }
    if (typeof b.message === 'string') return { status, detail: b.message };
  }
  return { status, detail: err.message };
}

/**
 * The one exception filter: every error leaves as application/problem+json (RFC 9457). Domain errors map
 * through problemKind(); anything unknown is logged with its stack and answered as a bare 500 that leaks
 * nothing (no stack, no SQL, no input values).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const problem = this.toProblem(exception);
    problem.requestId = typeof req.id === 'string' ? req.id : undefined;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDto {
    if (exception instanceof DomainError) {
      const kind = problemKind(exception.code);
      return {
        type: PROBLEM_BASE + kind.slug,
        title: kind.title,
        status: kind.status,
        detail: exception.message,
        ...(exception.errors.length > 0 ? { errors: exception.errors } : {}),
      };
    }
    if (exception instanceof ThrottlerException) {
      return {
        type: PROBLEM_BASE + 'too-many-requests',
        title: 'Too many requests',
        status: 429,
        detail: 'Rate limit exceeded; retry later.',
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const { status, detail, errors } = fromHttpException(exception);
      return httpProblem(status, detail, errors);
    }
    if (exception instanceof HttpException && exception.getStatus() === 503) {
      // A dependency is down (the health check's database ping): say so, with no detail from the dependency.
      this.logger.warn({ err: exception }, 'Service unavailable');
      return httpProblem(503, 'A service this request needs does not answer; retry later.');
    }
    const bodyParser = exception as { type?: string; status?: number; expose?: boolean; message?: string };
    if (bodyParser && typeof bodyParser.status === 'number' && bodyParser.status < 500 && bodyParser.expose) {
      const detail =
        bodyParser.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON.'
          : (bodyParser.message ?? HTTP_TITLES[bodyParser.status] ?? 'Request error');
      return httpProblem(bodyParser.status, detail);
    }
    this.logger.error({ err: exception }, 'Unhandled error');
    return {
      type: PROBLEM_BASE + 'internal',
      title: 'Internal error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'An unexpected error occurred. It has been logged with the request id.',
    };
  }
}

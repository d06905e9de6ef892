import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from './request-context';

/** Opens the per-request context; the request id comes from pino-http (X-Request-Id or a new UUID). */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request & { id?: unknown }, _res: Response, next: NextFunction): void {
    requestContext.run({ requestId: typeof req.id === 'string' ? req.id : undefined }, next);
  }
}

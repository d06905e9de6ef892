import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination } from 'pino';
import type { AppConfig } from '../config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Structured JSON logs. A request is logged as method, path (no query string: it may carry identifiers),
 * status, duration and request id: never headers, never bodies, never submitted values.
 */
export function loggerOptions(config: AppConfig): Params {
  const options = {
    level: config.logLevel,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const header = req.headers['x-request-id'];
      const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
  } satisfies Params['pinoHttp'];
  return {
    pinoHttp: config.logFile ? [options, destination({ dest: config.logFile, sync: true })] : options,
  };
}

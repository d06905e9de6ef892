import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { completeOpenApiDocument } from './openapi/complete-document';
import type { AppConfig } from './config';

export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('Fairwatch')
    .setDescription(
      'Fairness audits for clinical and health-AI models: per-group metrics with intervals, disparities and tests, ' +
        'drift across audits, compliance controls and signed PDF reports. Errors are application/problem+json (RFC 9457). ' +
        'Metric keys are snake_case (fairlearn names); undefined metrics are null.',
    )
    .setVersion(config.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
    .build();
  const document = SwaggerModule.createDocument(app, doc, {
    operationIdFactory: (_controller, method) => method,
  });
  return completeOpenApiDocument(withProblemMediaType(document));
}

/** Error responses are served as application/problem+json: say so in the document, whatever the decorators wrote. */
function withProblemMediaType(document: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(
      operations as Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>,
    )) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const content = response.content;
        if (Number(status) < 400 || !content) continue;
        const schema = Object.values(content)[0];
        response.content = { 'application/problem+json': schema };
      }
    }
  }
  return document;
}

/** POST /v1/models/{modelId}/audits reads its own (possibly very large) body as a stream. */
const AUDIT_UPLOAD_PATH = /^\/v1\/models\/[^/?#]+\/audits\/?(?:[?#]|$)/i; // case-insensitive, like Express routing
/** POST /v1/reports/verify checks the exact bytes sent, also of a JSON export: the JSON parser must leave them. */
const VERIFY_PATH = /^\/v1\/reports\/verify\/?(?:[?#]|$)/i;
function isAuditUpload(req: Request): boolean {
  const url = req.originalUrl || req.url;
  return req.method === 'POST' && (AUDIT_UPLOAD_PATH.test(url) || VERIFY_PATH.test(url));
}

/** Everything main.ts and the e2e tests share: security, parsing, validation, docs. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
    cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins } : false,
  });
  app.useLogger(app.get(Logger));
  // The client address that failed authentications are limited by: the peer, or what trusted proxies forward.
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'blob:'] },
      },
    }),
  );
  // Audit uploads stream their own bodies (see the audits module); every other JSON body is small.
  const jsonBody = json({
    limit: config.limits.maxJsonBodyBytes,
    type: ['application/json', 'application/*+json'],
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    isAuditUpload(req) ? next() : jsonBody(req, res, next),
  );
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // Built on the first /docs or /openapi.json request, not at start-up: the first build costs ~230 ms CPU
  // (560 ms wall on the loaded 2-core project machine) that a restart no longer waits for.
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, config), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
  });
  return app;
}

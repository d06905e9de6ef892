import {
  type ArgumentsHost,
  BadRequestException,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ProblemFilter } from './problem.filter';

interface Sent {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

function respond(exception: unknown): Sent {
  const sent: Partial<Sent> = {};
  const res = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    send(body: string) {
      sent.body = JSON.parse(body) as Record<string, unknown>;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ id: 'req-1' }) }),
  } as unknown as ArgumentsHost;
  new ProblemFilter().catch(exception, host);
  return sent as Sent;
}

describe('ProblemFilter', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('answers a failed health check (terminus throws 503) with a 503 problem that leaks nothing', () => {
    const sent = respond(
      new ServiceUnavailableException({
        status: 'error',
        error: { database: { message: 'ECONNREFUSED 10.0.0.7' } },
      }),
    );
    expect(sent.status).toBe(503);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toMatchObject({
      type: 'https://fairwatch.dev/problems/service-unavailable',
      title: 'Service unavailable',
      status: 503,
      requestId: 'req-1',
    });
    expect(JSON.stringify(sent.body)).not.toContain('ECONNREFUSED');
  });

  it("maps Nest's 4xx exceptions by status, keeping their message", () => {
    expect(respond(new NotFoundException('Cannot GET /v1/nothing')).body).toMatchObject({
      type: 'https://fairwatch.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Cannot GET /v1/nothing',
    });
    expect(respond(new BadRequestException(['a must be a string', 'b is required'])).body).toMatchObject({
      title: 'Invalid input',
      status: 400,
      errors: [{ message: 'a must be a string' }, { message: 'b is required' }],
    });
  });

  it("answers the body parser's malformed JSON with a 400 and anything unknown with a bare 500", () => {
    const parse = Object.assign(new Error('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
      expose: true,
    });
    expect(respond(parse).body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
    const unknown = respond(new Error('relation "x" does not exist'));
    expect(unknown.status).toBe(500);
    expect(unknown.body).toMatchObject({ type: 'https://fairwatch.dev/problems/internal', status: 500 });
    expect(JSON.stringify(unknown.body)).not.toContain('relation');
  });
});

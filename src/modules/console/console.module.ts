import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ConsoleStaticMiddleware } from './console-static.middleware';
import { MeController } from './me.controller';

/**
 * The compliance console: static files (public/) served at `/`, plus GET /v1/me so the page knows the
 * role of the key it signed in with. The console itself calls only the public /v1 API.
 */
@Module({ controllers: [MeController] })
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleStaticMiddleware).forRoutes('*');
  }
}

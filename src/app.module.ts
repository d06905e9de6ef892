import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ProblemFilter } from './common/problem.filter';
import { RequestContextMiddleware } from './common/request-context.middleware';
import { loggerOptions } from './common/logging';
import { APP_CONFIG, type AppConfig } from './config';
import { dataSourceOptions } from './database/data-source-options';
import { initializeMigrated } from './database/run-migrations';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { FEATURE_MODULES } from './modules/feature-modules';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRootAsync({
          useFactory: async () => ({ ...(await dataSourceOptions(config)), autoLoadEntities: true }),
          // Migrations run here rather than through `migrationsRun`: on PostgreSQL under an advisory lock.
          dataSourceFactory: (options) => initializeMigrated(options!, config.databaseUrl !== null),
        }),
        ThrottlerModule.forRoot([
          { name: 'default', ttl: 60_000, limit: config.rateLimit.requestsPerMinute },
        ]),
        AuthModule,
        HealthModule,
        ...FEATURE_MODULES,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [APP_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*');
  }
}

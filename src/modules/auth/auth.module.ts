import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeyThrottlerGuard } from '../../common/key-throttler.guard';
import { ApiKeysService } from './api-keys.service';
import { AuditEventsService } from './audit-events.service';
import { AuditTrailService } from './audit-trail.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { ApiKeyEntity } from './entities/api-key.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { OrganizationEntity } from './entities/organization.entity';
import { OrganizationsService } from './organizations.service';
import { RolesGuard } from './roles.guard';
import { SigningModule } from '../signing/signing.module';

/** Organizations, API keys, roles and the audit trail. Global: every module records to the trail. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, ApiKeyEntity, AuditEventEntity]), SigningModule],
  controllers: [AuthController],
  providers: [
    ApiKeysService,
    OrganizationsService,
    AuditTrailService,
    AuditEventsService,
    AuthFailureLimiter,
    // Guards run in registration order: authentication (failed attempts limited per address before any
    // lookup), then the limit per API key, then authorization, so refused roles count against the key's limit.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: KeyThrottlerGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuditTrailService, OrganizationsService, ApiKeysService],
})
export class AuthModule {}

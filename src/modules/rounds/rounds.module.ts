import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditsModule } from '../audits/audits.module';
import { ModelsModule } from '../models/models.module';
import { UploadsModule } from '../uploads/uploads.module';
import { AuditRoundPartEntity } from './entities/audit-round-part.entity';
import { AuditRoundEntity } from './entities/audit-round.entity';
import { RoundStore } from './round-store';
import { RoundsController } from './rounds.controller';
import { RoundsService } from './rounds.service';

/** Federated audit rounds: sites submit parts, closing pools them into one audit (docs/federated-rounds.md). */
@Module({
  imports: [
    TypeOrmModule.forFeature([AuditRoundEntity, AuditRoundPartEntity]),
    ModelsModule,
    AuditsModule,
    UploadsModule,
  ],
  controllers: [RoundsController],
  providers: [RoundStore, RoundsService],
  exports: [RoundsService],
})
export class RoundsModule {}

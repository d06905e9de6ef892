import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ComplianceModule } from '../compliance/compliance.module';
import { SigningModule } from '../signing/signing.module';
import { ExportEntity } from './entities/export.entity';
import { ExportInputModule } from './export-input.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/** Signed health-IT transparency exports of a model: the HTI-1 attribute list and the CHAI model card. */
@Module({
  imports: [TypeOrmModule.forFeature([ExportEntity]), ExportInputModule, ComplianceModule, SigningModule],
  controllers: [ExportsController],
  providers: [ExportsService],
  exports: [ExportsService],
})
export class ExportsModule {}

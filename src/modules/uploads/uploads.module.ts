import { Module } from '@nestjs/common';
import { ComputeModule } from '../compute/compute.module';
import { AuditUploadReader } from './audit-upload-reader';
import { ParquetIngestService } from './parquet-ingest.service';
import { UploadSpoolService } from './upload-spool';

/**
 * The HTTP side of uploads: content negotiation, multipart and JSON bodies, the encrypted spool, CSV parsing
 * (in the compute module's ingest workers) and Parquet reading. Other modules get a parsed AuditUpload from
 * AuditUploadReader and never see a request body.
 */
@Module({
  imports: [ComputeModule],
  providers: [AuditUploadReader, ParquetIngestService, UploadSpoolService],
  exports: [AuditUploadReader, UploadSpoolService],
})
export class UploadsModule {}

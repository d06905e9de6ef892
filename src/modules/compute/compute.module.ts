import { Module } from '@nestjs/common';
import { ComputeService } from './compute.service';

/** One pool of compute workers for the whole app (modules importing this share it). */
@Module({
  providers: [ComputeService],
  exports: [ComputeService],
})
export class ComputeModule {}

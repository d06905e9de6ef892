import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SigningKeyEntity } from './entities/signing-key.entity';
import { SigningKeyService } from './signing-key.service';

/**
 * The instance's Ed25519 signing key: reports sign their PDF bytes with it and the audit trail signs its heads,
 * so one public key (GET /v1/reports/signing-key) checks both. Its own module so that both can import it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity])],
  providers: [SigningKeyService],
  exports: [SigningKeyService],
})
export class SigningModule {}

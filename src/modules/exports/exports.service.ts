import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { OrgRepository } from '../../common/org-repository';
import { currentPrincipal } from '../../common/request-context';
import {
  buildChaiModelCard,
  buildHti1Export,
  citedAuditIds,
  latestPerSetting,
  type AuditControls,
  type Hti1Export,
} from '../../core/exports';
import { APP_CONFIG, type AppConfig } from '../../config';
import { AuditTrailService } from '../auth/audit-trail.service';
import { ComplianceService } from '../compliance/compliance.service';
import { SigningKeyService } from '../signing/signing-key.service';
import { ExportEntity, type ExportKind } from './entities/export.entity';
import { ExportInputService } from './export-input.service';

/** The bytes of a signed export, with what a client needs to check them (also sent as headers). */
export interface SignedExport {
  id: string;
  kind: ExportKind;
  mediaType: string;
  bytes: Buffer;
  sha256: string;
  signature: string;
  signingKeyId: string;
  createdAt: Date;
}

export interface ExportVerifyOutcome {
  valid: boolean;
  sha256: string;
  exportId?: string;
  kind?: ExportKind;
  signedAt?: string;
  signingKeyId?: string;
  reason?: string;
}

export const HTI1_MEDIA_TYPE = 'application/json';
export const CARD_MEDIA_TYPE = 'application/xml';

const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Health-IT transparency exports of a model (docs/hti-1-exports.md): the HTI-1 source-attribute list (JSON)
 * and the CHAI Applied Model Card (XML), built by core/exports from the model's documentation and audits,
 * signed with the report signing key (detached Ed25519 over the exact bytes) and recorded by SHA-256, so
 * POST /v1/reports/verify accepts a downloaded copy and refuses a changed one.
 */
@Injectable()
export class ExportsService {
  private readonly exports: OrgRepository<ExportEntity>;

  constructor(
    @InjectRepository(ExportEntity) repo: Repository<ExportEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly input: ExportInputService,
    private readonly compliance: ComplianceService,
    private readonly signer: SigningKeyService,
    private readonly trail: AuditTrailService,
  ) {
    this.exports = new OrgRepository(repo, 'Export');
  }

  /** The HTI-1 attribute list of a model, signed; 404 for an unknown model. */
  async hti1(modelId: string): Promise<SignedExport> {
    const sources = await this.input.sources(modelId);
    const id = randomUUID();
    const createdAt = new Date();
    const body = buildHti1Export({ ...sources, exportId: id, generatedAt: createdAt.toISOString() });
    const doc: Hti1Export = {
      ...body,
      signature: {
        algorithm: 'Ed25519',
        detached: true,
        verify:
          'POST these exact bytes to /v1/reports/verify; the signature (base64) and key id are in the X-Fairwatch-Signature and X-Fairwatch-Signing-Key headers of the download.',
      },
    };
    const bytes = Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
    return this.sign(id, 'hti-1', modelId, HTI1_MEDIA_TYPE, bytes, citedAuditIds(doc.attributes), createdAt);
  }

  /** The CHAI Applied Model Card of a model, signed; 404 for an unknown model. */
  async chaiModelCard(modelId: string): Promise<SignedExport> {
    const sources = await this.input.sources(modelId);
    const latest = latestPerSetting(sources.audits);
    const controls: AuditControls[] = [];
    for (const audit of latest) {
      const evaluation = await this.compliance.evaluate(audit.id);
      controls.push({ audit, outcomes: evaluation.outcomes });
    }
    const id = randomUUID();
    const createdAt = new Date();
    const xml = buildChaiModelCard({
      ...sources,
      exportId: id,
      generatedAt: createdAt.toISOString(),
      controls,
      softwareVersion: this.config.version,
    });
    const bytes = Buffer.from(xml, 'utf8');
    return this.sign(
      id,
      'chai-model-card',
      modelId,
      CARD_MEDIA_TYPE,
      bytes,
      latest.map((a) => a.id),
      createdAt,
    );
  }

  /**
   * Valid when the bytes are exactly those of an export of the caller's organization and the recorded
   * signature verifies over them. Recorded as 'export.verified'.
   */
  async verify(bytes: Buffer): Promise<ExportVerifyOutcome> {
    const sha256 = sha256Hex(bytes);
    const row = await this.exports
      .query('e')
      .andWhere('e.sha256 = :sha256', { sha256 })
      .orderBy('e.createdAt', 'ASC')
      .getOne();
    let outcome: ExportVerifyOutcome;
    if (!row) {
      outcome = {
        valid: false,
        sha256,
        reason:
          'No export of your organization has these exact bytes: the file was changed, or it is not a Fairwatch export of this organization.',
      };
    } else if (!(await this.signer.verify(bytes, row.signature, row.signingKeyId))) {
      outcome = {
        valid: false,
        sha256,
        exportId: row.id,
        kind: row.kind,
        signingKeyId: row.signingKeyId,
        reason: 'The bytes match a recorded export, but its signature does not verify with the key it names.',
      };
    } else {
      outcome = {
        valid: true,
        sha256,
        exportId: row.id,
        kind: row.kind,
        signedAt: row.createdAt.toISOString(),
        signingKeyId: row.signingKeyId,
      };
    }
    await this.trail.record({
      action: 'export.verified',
      objectType: 'export',
      ...(outcome.exportId ? { objectId: outcome.exportId } : {}),
      details: { sha256, valid: outcome.valid },
    });
    return outcome;
  }

  private async sign(
    id: string,
    kind: ExportKind,
    modelId: string,
    mediaType: string,
    bytes: Buffer,
    auditIds: string[],
    createdAt: Date,
  ): Promise<SignedExport> {
    const sha256 = sha256Hex(bytes);
    const { signature, keyId } = await this.signer.sign(bytes);
    await this.dataSource.transaction(async (m) => {
      const repo = this.exports.with(m);
      await repo.save(
        repo.create({
          id,
          modelId,
          kind,
          mediaType,
          sha256,
          signature,
          signingKeyId: keyId,
          auditIds,
          createdByKeyId: currentPrincipal().keyId,
          createdAt,
        }),
      );
      await this.trail.record(
        {
          action: 'export.created',
          objectType: 'export',
          objectId: id,
          details: { kind, modelId, sha256, signingKeyId: keyId, auditIds },
        },
        m,
      );
    });
    return { id, kind, mediaType, bytes, sha256, signature, signingKeyId: keyId, createdAt };
  }
}

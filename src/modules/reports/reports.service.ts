import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { assertFrameworks, FRAMEWORK_IDS } from '../../core/compliance';
import { DomainError } from '../../core/errors';
import { buildReportViewModel, thresholdGrid, type Verdict } from '../../core/reports';
import { OrgRepository } from '../../common/org-repository';
import { paginate, type Page, type PageQueryDto } from '../../common/pagination';
import { currentPrincipal, type Role } from '../../common/request-context';
import { APP_CONFIG, type AppConfig } from '../../config';
import { AuditsService } from '../audits/audits.service';
import { AuditTrailService } from '../auth/audit-trail.service';
import { OrganizationsService } from '../auth/organizations.service';
import { ComplianceService } from '../compliance/compliance.service';
import { DriftService } from '../drift/drift.service';
import { ModelsService } from '../models/models.service';
import { SigningKeyService } from '../signing/signing-key.service';
import { ReportEntity } from './entities/report.entity';
import { ScoreQualityService } from '../score-quality/score-quality.service';
import { renderReportPdf, warmUpReportPdf } from './pdf';
import { reportInput, sha256Hex, TIMELINE_METRIC, timelineSeries } from './report-input';

/** Who may download a report's PDF: those who make reports. */
export const PDF_ROLES: [Role, ...Role[]] = ['admin', 'compliance_officer'];

/** The metadata columns (no PDF bytes, no content). */
const META: (keyof ReportEntity)[] = [
  'id',
  'organizationId',
  'auditId',
  'title',
  'frameworks',
  'policyVersion',
  'sha256',
  'signature',
  'signingKeyId',
  'trailHead',
  'createdByKeyId',
  'createdAt',
];

export type ReportMeta = Omit<ReportEntity, 'pdf' | 'content'> & { verdict: Verdict };

/** What a new report covers (POST /v1/audits/{auditId}/reports). */
export interface ReportRequest {
  /** Framework ids; default: the organization policy's frameworks. */
  frameworks?: string[];
  /** Default "Fairness audit: <model name> <version>". */
  title?: string;
}

export interface VerifyOutcome {
  valid: boolean;
  sha256: string;
  reportId?: string;
  signedAt?: string;
  signingKeyId?: string;
  reason?: string;
}

/**
 * Signed audit reports: gathers an audit's results, drift, history and control outcomes, builds the view
 * model (core/reports), renders the PDF, signs its bytes with the instance's Ed25519 key and stores both.
 */
@Injectable()
export class ReportsService {
  private readonly reports: OrgRepository<ReportEntity>;

  constructor(
    @InjectRepository(ReportEntity) repo: Repository<ReportEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audits: AuditsService,
    private readonly models: ModelsService,
    private readonly compliance: ComplianceService,
    private readonly drift: DriftService,
    private readonly signer: SigningKeyService,
    private readonly trail: AuditTrailService,
    private readonly organizations: OrganizationsService,
    private readonly scoreQuality: ScoreQualityService,
  ) {
    this.reports = new OrgRepository(repo, 'Report');
  }

  /**
   * Loads the PDF renderer and its fonts ahead of the first report, so that it is not slower (npm start calls
   * this once the service answers).
   */
  warmUp(): void {
    warmUpReportPdf();
  }

  async create(auditId: string, dto: ReportRequest): Promise<ReportEntity> {
    const requested = dto.frameworks ? assertFrameworks(dto.frameworks) : undefined;
    const audit = await this.audits.get(auditId);
    const scored = audit.columnsUsed.score !== undefined && audit.columnsUsed.label !== undefined;
    const [model, evaluation, timeline, organizationName, head, scoreQuality] = await Promise.all([
      this.models.get(audit.modelId),
      this.compliance.evaluate(auditId, requested),
      timelineSeries(audit, (attribute) =>
        this.drift.timeline(audit.modelId, { metric: TIMELINE_METRIC, attribute }),
      ),
      this.organizations.currentName(),
      this.trail.head(),
      // the calibration and threshold pages: only with labels and scores in [0, 1] (forReport is null
      // otherwise, and the report has neither page); the what-if on the console's slider grid
      scored ? this.scoreQuality.forReport(auditId, thresholdGrid) : null,
    ]);
    const trailHead = {
      seq: head.seq,
      hash: head.hash,
      createdAt: head.createdAt,
      signature: head.signature,
      keyId: head.keyId,
    };
    const frameworks =
      requested ?? FRAMEWORK_IDS.filter((f) => evaluation.outcomes.some((o) => o.framework === f));
    const id = randomUUID();
    const createdAt = new Date();
    const title = dto.title?.trim() || `Fairness audit: ${model.name} ${model.version}`;
    const content = buildReportViewModel(
      reportInput({
        report: { id, title, createdAt },
        organizationName,
        model,
        audit,
        drift: evaluation.drift,
        timeline,
        controls: evaluation.outcomes,
        policyVersion: evaluation.policyVersion,
        alpha: evaluation.alpha,
        catalogVersion: evaluation.catalogVersion,
        softwareVersion: this.config.version,
        trailHead,
        calibration: scoreQuality?.calibration ?? null,
        thresholds: scoreQuality?.thresholds ?? null,
      }),
    );
    const pdf = await renderReportPdf(content);
    const sha256 = sha256Hex(pdf);
    const { signature, keyId } = await this.signer.sign(pdf);
    return this.dataSource.transaction(async (m) => {
      const reports = this.reports.with(m);
      const report = await reports.save(
        reports.create({
          id,
          auditId,
          title,
          frameworks,
          policyVersion: evaluation.policyVersion,
          sha256,
          signature,
          signingKeyId: keyId,
          trailHead,
          content,
          pdf,
          createdByKeyId: currentPrincipal().keyId,
          createdAt,
        }),
      );
      await this.trail.record(
        {
          action: 'report.created',
          objectType: 'report',
          objectId: id,
          details: {
            auditId,
            sha256,
            signingKeyId: keyId,
            frameworks,
            policyVersion: evaluation.policyVersion,
            trailHeadSeq: trailHead.seq,
          },
        },
        m,
      );
      return report;
    });
  }

  /** The report with its content (no PDF bytes); 404 also for another organization's report. */
  get(id: string): Promise<ReportEntity> {
    return this.reports.get({ id });
  }

  /** The PDF bytes for admins and compliance officers, recorded as 'report.downloaded'. */
  async download(id: string): Promise<{ id: string; pdf: Buffer; sha256: string }> {
    const { role } = currentPrincipal();
    const report = await this.reports
      .query('r')
      .select(['r.id', 'r.sha256', 'r.pdf'])
      .andWhere('r.id = :id', { id })
      .getOne();
    if (!report) throw new DomainError('not_found', 'Report not found.');
    if (!PDF_ROLES.includes(role)) {
      throw new DomainError(
        'forbidden',
        `Downloading a report's PDF needs one of these roles: ${PDF_ROLES.join(', ')}.`,
      );
    }
    await this.trail.record({
      action: 'report.downloaded',
      objectType: 'report',
      objectId: id,
      details: { sha256: report.sha256 },
    });
    return { id: report.id, pdf: report.pdf, sha256: report.sha256 };
  }

  /** An audit's reports, newest first, without content or bytes; 404 for an unknown audit. */
  async listForAudit(auditId: string, page: PageQueryDto): Promise<Page<ReportMeta>> {
    await this.audits.get(auditId);
    const qb = this.reports
      .query('r')
      .select(META.map((c) => `r.${c}`))
      .andWhere('r.auditId = :auditId', { auditId });
    const { items, nextCursor } = await paginate(qb, 'r', page);
    const verdicts = await this.verdicts(items.map((r) => r.id));
    return { items: items.map((r) => ({ ...r, verdict: verdicts.get(r.id) ?? 'review' })), nextCursor };
  }

  /**
   * Valid when the bytes are exactly those of a report of the caller's organization and the stored signature
   * verifies over them with the key the report names. Recorded as 'report.verified'.
   */
  async verify(bytes: Buffer): Promise<VerifyOutcome> {
    const sha256 = sha256Hex(bytes);
    const report = await this.reports
      .query('r')
      .select(['r.id', 'r.signature', 'r.signingKeyId', 'r.createdAt'])
      .andWhere('r.sha256 = :sha256', { sha256 })
      .getOne();
    let outcome: VerifyOutcome;
    if (!report) {
      outcome = {
        valid: false,
        sha256,
        reason:
          'No report of your organization has these exact bytes: the file was changed, or it is not a Fairwatch report of this organization.',
      };
    } else if (!(await this.signer.verify(bytes, report.signature, report.signingKeyId))) {
      outcome = {
        valid: false,
        sha256,
        reportId: report.id,
        signingKeyId: report.signingKeyId,
        reason: 'The bytes match a stored report, but its signature does not verify with the key it names.',
      };
    } else {
      outcome = {
        valid: true,
        sha256,
        reportId: report.id,
        signedAt: report.createdAt.toISOString(),
        signingKeyId: report.signingKeyId,
      };
    }
    await this.trail.record({
      action: 'report.verified',
      objectType: 'report',
      ...(outcome.reportId ? { objectId: outcome.reportId } : {}),
      details: { sha256, valid: outcome.valid },
    });
    return outcome;
  }

  async signingKey(): Promise<{ keyId: string; algorithm: 'Ed25519'; publicKeyPem: string }> {
    const key = await this.signer.key();
    return { keyId: key.id, algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem };
  }

  private async verdicts(ids: string[]): Promise<Map<string, Verdict>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; verdict: Verdict | null }[] = await this.dataSource.query(
      `SELECT "id", "content" -> 'cover' ->> 'verdict' AS "verdict" FROM "reports"
       WHERE "organization_id" = $1 AND "id" = ANY($2::uuid[])`,
      [currentPrincipal().organizationId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.verdict ?? 'review']));
  }
}

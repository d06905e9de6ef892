import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/db-errors';
import { currentPrincipal, type SiteScope } from '../../common/request-context';
import { APP_CONFIG, type AppConfig } from '../../config';
import { DomainError } from '../../core/errors';
import {
  BATCH_FORMAT_VERSION,
  decodeBatch,
  encodeBatch,
  MAX_PEOPLE,
  type ColumnsUsed,
} from '../../core/ingest';
import { parseRoundConfig, parseSites, partConfigOf, PartMerger, SITE_ATTRIBUTE } from '../../core/rounds';
import { AuditSubmissionService } from '../audits/audit-submission.service';
import type { Audit } from '../audits/audits.types';
import { ApiKeysService } from '../auth/api-keys.service';
import { AuditTrailService } from '../auth/audit-trail.service';
import { ModelsService } from '../models/models.service';
import { AuditUploadReader, sha256, type PartUpload } from '../uploads/audit-upload-reader';
import { AuditRoundPartEntity } from './entities/audit-round-part.entity';
import { AuditRoundEntity } from './entities/audit-round.entity';
import { RoundStore } from './round-store';
import type { AuditRound, CloseOptions, NewRound, RoundPart, RoundStatus } from './rounds.types';

const ONE_PART_PER_SITE = 'uq_audit_round_parts_round_site';
/**
 * Parts read from the database per query at close. One query per part cost ~13 ms of round trip each (100
 * parts: 1.3 s wall, 0.3 s CPU on the loaded 2-core machine, `npm run bench -- rounds`); 20 at a time keeps
 * memory near one group of parts beside the merged batch.
 */
const PARTS_PER_READ = 20;
/** The form field that names a part's site. */
const SITE_FIELD = 'site';

/**
 * Federated audit rounds: each site submits its part (its rows or a cell table, read exactly like an audit
 * upload, only the mapped columns kept); closing the round merges the parts into one batch, in the round's site
 * order, and stores the pooled audit through the audits module, as if one upload had carried every row.
 */
@Injectable()
export class RoundsService implements OnModuleInit {
  private readonly logger = new Logger(RoundsService.name);

  constructor(
    private readonly store: RoundStore,
    private readonly models: ModelsService,
    private readonly submissions: AuditSubmissionService,
    private readonly uploads: AuditUploadReader,
    private readonly trail: AuditTrailService,
    private readonly keys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  onModuleInit(): void {
    // A site key may only be created for a round of the caller's organization, and one of its sites.
    this.keys.useSiteScopeCheck(async ({ roundId, site }) => {
      const round = await this.store.rounds.get({ id: roundId });
      requireKnownSite(round, site, 'site');
    });
  }

  async open(modelId: string, input: NewRound): Promise<AuditRound> {
    await this.models.get(modelId);
    const sites = parseSites(input.sites, this.appConfig.limits.maxGroupsPerAttribute);
    const { pooled, siteAsAttribute } = parseRoundConfig(input.config);
    return this.store.dataSource.transaction(async (m) => {
      const rounds = this.store.rounds.with(m);
      const round = await rounds.insert(
        rounds.create({
          modelId,
          name: input.name,
          sites,
          config: pooled,
          siteAsAttribute,
          status: 'open',
          auditId: null,
          missingSites: [],
          createdByKeyId: currentPrincipal().keyId,
          closedAt: null,
        }),
      );
      await this.trail.record(
        {
          action: 'round.opened',
          objectType: 'audit_round',
          objectId: round.id,
          details: { modelId, sites, siteAsAttribute },
        },
        m,
      );
      return round;
    });
  }

  /** The round and its submitted parts (404 for a site key of another round). */
  async status(roundId: string): Promise<RoundStatus> {
    const round = await this.visibleRound(roundId);
    const parts = await this.store.parts.find({ roundId });
    return { round, parts: inSiteOrder(round, parts) };
  }

  /**
   * Reads a part from the request and stores it. Refused, with nothing stored: another round than a site key's
   * (404), a closed round (409, also when it closes while the part is read), a site outside the round (400),
   * another site than a site key's (403), a site that already submitted (409), a part whose columns differ
   * from the earlier parts' (409).
   */
  async submitPart(roundId: string, req: IncomingMessage): Promise<RoundPart> {
    const round = await this.visibleRound(roundId);
    if (round.status !== 'open') throw closedRound(round);
    const config = partConfigOf(round.config, round.siteAsAttribute);
    const upload = await this.uploads.readPart(req, config, [SITE_FIELD]);
    const site = this.partSite(round, upload);
    const batch = encodeBatch(upload.rows.batch);
    try {
      const part = await this.store.dataSource.transaction(async (m) => {
        const locked = await this.lockRound(m, roundId);
        if (locked.status !== 'open') throw closedRound(locked);
        const parts = this.store.parts.with(m);
        const earlier = await parts.find({ roundId });
        if (earlier.some((p) => p.site === site)) throw duplicatePart(site);
        requireSameColumns(site, upload.rows.columnsUsed, earlier);
        const part = await parts.insert(
          parts.create({
            roundId,
            site,
            format: upload.format,
            rowCount: upload.rows.rowCount,
            batchRows: upload.rows.batch.rowCount,
            cellCount: upload.rows.cellCount ?? null,
            skippedRows: upload.rows.skippedRows,
            columnsUsed: upload.rows.columnsUsed,
            dataSha256: upload.dataSha256,
            formatVersion: BATCH_FORMAT_VERSION,
            batch: Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength),
            createdByKeyId: currentPrincipal().keyId,
          }),
        );
        await this.trail.record(
          {
            action: 'round.part_submitted',
            objectType: 'audit_round',
            objectId: roundId,
            details: {
              site,
              rowCount: part.rowCount,
              skippedRows: part.skippedRows,
              dataSha256: part.dataSha256,
            },
          },
          m,
        );
        return part;
      });
      const { batch: _stored, ...summary } = part;
      return summary;
    } catch (err) {
      // Two submissions of one site at once: the unique constraint lets one in.
      if (isUniqueViolation(err, ONE_PART_PER_SITE)) throw duplicatePart(site);
      throw err;
    }
  }

  /**
   * Merges the parts (in the round's site order) and stores the pooled audit; the round is closed in the same
   * transaction, and the parts' batches are cleared (the pooled audit's batch holds the rows now).
   */
  async close(roundId: string, options: CloseOptions): Promise<Audit> {
    const round = await this.store.rounds.get({ id: roundId });
    if (round.status !== 'open') throw closedRound(round);
    const parts = inSiteOrder(round, await this.store.parts.find({ roundId }));
    const submitted = new Set(parts.map((p) => p.site));
    const missing = round.sites.filter((s) => !submitted.has(s));
    if (parts.length === 0) {
      throw new DomainError('conflict', 'No site has submitted a part yet: there is nothing to pool.');
    }
    if (missing.length > 0 && options.allowMissing !== true) {
      const message = `Site(s) ${missing.map((s) => `"${s}"`).join(', ')} have not submitted; close with {"allowMissing": true} to pool the parts without them.`;
      throw new DomainError('conflict', message, [{ field: 'allowMissing', message }]);
    }
    const totalRows = parts.reduce((sum, p) => sum + p.batchRows, 0);
    const people = parts.reduce((sum, p) => sum + p.rowCount, 0);
    const { maxRows, maxGroupsPerAttribute } = this.appConfig.limits;
    if (totalRows > maxRows) {
      throw new DomainError(
        'payload_too_large',
        `The parts together have ${totalRows} rows, more than MAX_ROWS (${maxRows}).`,
      );
    }
    if (people > MAX_PEOPLE) {
      throw new DomainError(
        'payload_too_large',
        `The parts together count ${people} people, more than one audit holds (${MAX_PEOPLE}).`,
      );
    }
    const cells = parts.map((p) => p.cellCount);
    const started = process.hrtime.bigint();
    const merger = new PartMerger({
      totalRows,
      attributes: round.config.sensitiveAttributes,
      siteAttribute: round.siteAsAttribute ? SITE_ATTRIBUTE : null,
      maxGroupsPerAttribute,
    });
    // A few parts' blobs at a time: memory is the merged batch plus one group of parts, in few round trips.
    for (let i = 0; i < parts.length; i += PARTS_PER_READ) {
      const group = parts.slice(i, i + PARTS_PER_READ);
      const blobs = await this.storedBatches(group);
      for (const part of group) merger.add(part.site, decodeBatch(blobs.get(part.id) as Buffer));
    }
    const batch = merger.finish();
    // Reading the parts from the database, decoding and merging them.
    const mergeMs = Number(process.hrtime.bigint() - started) / 1e6;
    const partIds = parts.map((p) => p.id).sort();
    const audit = await this.submissions.submitPooled(round.modelId, {
      config: round.config,
      batch,
      rowCount: people,
      ...(cells.every((c) => c !== null) && { cellCount: cells.reduce<number>((a, b) => a + (b ?? 0), 0) }),
      skippedRows: parts.reduce((sum, p) => sum + p.skippedRows, 0),
      columnsUsed: { ...(parts[0] as RoundPart).columnsUsed, attributes: round.config.sensitiveAttributes },
      // The parts' file hashes, named by site, in pooling order: the pooled data's fingerprint.
      dataSha256: sha256(parts.flatMap((p) => [p.site, p.dataSha256])),
      details: { roundId },
      within: (m, pooled) => this.markClosed(m, roundId, partIds, pooled, missing),
    });
    this.logger.log(
      { roundId, auditId: audit.id, parts: parts.length, rowCount: totalRows, mergeMs: Math.round(mergeMs) },
      'Round closed',
    );
    return audit;
  }

  /** In the pooled audit's transaction: closes the round unless another request changed it meanwhile. */
  private async markClosed(
    m: EntityManager,
    roundId: string,
    partIds: readonly string[],
    audit: Audit,
    missing: readonly string[],
  ): Promise<void> {
    const round = await this.lockRound(m, roundId);
    if (round.status !== 'open') throw closedRound(round);
    const parts = this.store.parts.with(m);
    const now = (await parts.find({ roundId })).map((p) => p.id).sort();
    if (now.join() !== partIds.join()) {
      throw new DomainError('conflict', 'A part arrived while the round was closing; close it again.');
    }
    round.status = 'closed';
    round.auditId = audit.id;
    round.closedAt = new Date();
    round.missingSites = [...missing];
    await this.store.rounds.with(m).save(round);
    await m
      .getRepository(AuditRoundPartEntity)
      .update({ roundId, organizationId: round.organizationId }, { batch: null });
    await this.trail.record(
      {
        action: 'round.closed',
        objectType: 'audit_round',
        objectId: roundId,
        details: {
          auditId: audit.id,
          parts: partIds.length,
          rowCount: audit.rowCount,
          missingSites: [...missing],
        },
      },
      m,
    );
  }

  /** A round the caller may see: its organization's, and for a site key only the key's round (404 else). */
  private async visibleRound(roundId: string): Promise<AuditRoundEntity> {
    const scope = currentPrincipal().siteScope;
    if (scope && scope.roundId !== roundId) throw new DomainError('not_found', 'Audit round not found.');
    return this.store.rounds.get({ id: roundId });
  }

  /** The part's site: the form's `site`, or a site key's own site when the form names none. */
  private partSite(round: AuditRound, upload: PartUpload): string {
    const scope: SiteScope | undefined = currentPrincipal().siteScope;
    const site = upload.fields[SITE_FIELD] ?? scope?.site;
    if (site === undefined) {
      const message = 'is required: the site this part comes from';
      throw new DomainError('invalid_input', `site ${message}.`, [{ field: SITE_FIELD, message }]);
    }
    requireKnownSite(round, site, SITE_FIELD);
    if (scope && scope.site !== site) {
      throw new DomainError(
        'forbidden',
        `This key may only submit the part of site "${scope.site}", not "${site}".`,
        [{ field: SITE_FIELD, message: `this key is limited to site "${scope.site}"` }],
      );
    }
    return site;
  }

  private async lockRound(m: EntityManager, roundId: string): Promise<AuditRoundEntity> {
    const round = await this.store.rounds
      .with(m)
      .query('r')
      .andWhere('r.id = :roundId', { roundId })
      .setLock('pessimistic_write')
      .getOne();
    if (!round) throw new DomainError('not_found', 'Audit round not found.');
    return round;
  }

  private async storedBatches(group: readonly RoundPart[]): Promise<Map<string, Buffer>> {
    const rows = await this.store.parts
      .query('p')
      .select(['p.id', 'p.batch'])
      .andWhere('p.id IN (:...ids)', { ids: group.map((p) => p.id) })
      .getMany();
    const blobs = new Map(rows.map((r) => [r.id, r.batch]));
    for (const part of group) {
      if (!blobs.get(part.id)) throw new Error(`round part ${part.id} has no stored batch`);
    }
    return blobs as Map<string, Buffer>;
  }
}

function requireKnownSite(round: AuditRound, site: string, field: string): void {
  if (round.sites.includes(site)) return;
  const message = `"${site}" is not a site of this round (${round.sites.map((s) => `"${s}"`).join(', ')})`;
  throw new DomainError('invalid_input', `Unknown site: ${message}.`, [{ field, message }]);
}

function closedRound(round: AuditRound): DomainError {
  const message = `The round was closed at ${round.closedAt?.toISOString() ?? 'an earlier time'}: it takes no more parts and cannot be closed again (its pooled audit is ${round.auditId ?? 'stored'}).`;
  return new DomainError('conflict', message);
}

function duplicatePart(site: string): DomainError {
  const message = `site "${site}" has already submitted its part to this round; a site submits once`;
  return new DomainError('conflict', `Duplicate part: ${message}.`, [{ field: SITE_FIELD, message }]);
}

/** A part must use the same roles (label, prediction, score, weight, count) as the earlier parts. */
function requireSameColumns(site: string, used: ColumnsUsed, earlier: readonly RoundPart[]): void {
  const first = earlier[0];
  if (!first) return;
  const roles = ['label', 'prediction', 'score', 'weight'] as const;
  for (const role of roles) {
    if ((used[role] === undefined) === (first.columnsUsed[role] === undefined)) continue;
    const message = used[role]
      ? `has a ${role} column ("${used[role]}") and the parts of ${first.site} and others do not`
      : `has no ${role} column and the part of "${first.site}" has one ("${first.columnsUsed[role]}")`;
    throw new DomainError(
      'conflict',
      `The part of site "${site}" ${message}: every part needs the same columns.`,
      [{ field: 'file', column: used[role] ?? first.columnsUsed[role], message }],
    );
  }
}

function inSiteOrder<P extends { site: string }>(round: AuditRound, parts: P[]): P[] {
  return [...parts].sort((a, b) => round.sites.indexOf(a.site) - round.sites.indexOf(b.site));
}

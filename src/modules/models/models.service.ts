import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { storedDocumentation } from '../../core/compliance';
import { DomainError } from '../../core/errors';
import { isUniqueViolation } from '../../common/db-errors';
import { OrgRepository } from '../../common/org-repository';
import { paginate, type Page, type PageQueryDto } from '../../common/pagination';
import { AuditTrailService } from '../auth/audit-trail.service';
import type { DriftThresholds } from '../../core/drift';
import { ModelEntity } from './entities/model.entity';
import type { Model, ModelChanges, NewModel, PrivacyBudget } from './models.types';

/** name@version is unique within an organization (migrations/1764400000000-InitialSchema.ts). */
const NAME_VERSION_UNIQUE = 'uq_models_org_name_version';

@Injectable()
export class ModelsService {
  private readonly models: OrgRepository<ModelEntity>;

  constructor(
    @InjectRepository(ModelEntity) repo: Repository<ModelEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trail: AuditTrailService,
  ) {
    this.models = new OrgRepository(repo, 'Model');
  }

  async create(dto: NewModel): Promise<Model> {
    const documentation = storedDocumentation({
      ...dto.documentation,
      intendedUse: dto.intendedUse ?? dto.documentation?.intendedUse,
      owner: dto.owner ?? dto.documentation?.owner,
    });
    try {
      return await this.dataSource.transaction(async (m) => {
        const models = this.models.with(m);
        const model = await models.save(
          models.create({
            name: dto.name,
            version: dto.version,
            description: dto.description ?? null,
            documentation,
          }),
        );
        await this.trail.record({ action: 'model.created', objectType: 'model', objectId: model.id }, m);
        return model;
      });
    } catch (err) {
      // The unique constraint decides, also between two concurrent requests: 409, never a 500.
      if (!isUniqueViolation(err, NAME_VERSION_UNIQUE)) throw err;
      throw new DomainError('conflict', `Model ${dto.name}@${dto.version} already exists.`, [
        { field: 'version', message: 'name and version must be unique in the organization' },
      ]);
    }
  }

  async update(id: string, dto: ModelChanges): Promise<Model> {
    return this.dataSource.transaction(async (m) => {
      const models = this.models.with(m);
      const model = await models.get({ id });
      if (dto.description !== undefined) model.description = dto.description;
      if (dto.documentation)
        model.documentation = storedDocumentation({ ...model.documentation, ...dto.documentation });
      const saved = await models.save(model);
      await this.trail.record(
        {
          action: 'model.updated',
          objectType: 'model',
          objectId: id,
          details: { fields: Object.keys(dto.documentation ?? {}) },
        },
        m,
      );
      return saved;
    });
  }

  /** The model, or 404 (also for another organization's model). */
  get(id: string): Promise<Model> {
    return this.models.get({ id });
  }

  list(page: PageQueryDto): Promise<Page<Model>> {
    return paginate(this.models.query('m'), 'm', page);
  }

  /**
   * Pins (or, with null, unpins) the audit drift compares against by default, recorded as
   * 'model.baseline_set'. The caller checks that the audit is one of this model's.
   */
  setBaseline(id: string, auditId: string | null): Promise<Model> {
    return this.dataSource.transaction(async (m) => {
      const models = this.models.with(m);
      const model = await models.get({ id });
      const previous = model.baselineAuditId;
      model.baselineAuditId = auditId;
      const saved = await models.save(model);
      await this.trail.record(
        {
          action: 'model.baseline_set',
          objectType: 'model',
          objectId: id,
          details: { auditId, previousAuditId: previous },
        },
        m,
      );
      return saved;
    });
  }

  /** Sets (or, with null, removes) the model's privacy budget, recorded as 'model.privacy_budget_set'. */
  setPrivacyBudget(id: string, budget: PrivacyBudget | null): Promise<Model> {
    return this.dataSource.transaction(async (m) => {
      const models = this.models.with(m);
      const model = await models.get({ id });
      const previous = { epsilon: model.privacyBudgetEpsilon, delta: model.privacyBudgetDelta };
      model.privacyBudgetEpsilon = budget?.epsilon ?? null;
      model.privacyBudgetDelta = budget?.delta ?? null;
      const saved = await models.save(model);
      await this.trail.record(
        {
          action: 'model.privacy_budget_set',
          objectType: 'model',
          objectId: id,
          details: { budget, previous },
        },
        m,
      );
      return saved;
    });
  }

  /**
   * Replaces the model's drift threshold overrides ({} = the defaults), recorded as 'policy.updated'. The
   * caller checks that the thresholds in force are consistent.
   */
  setDriftPolicy(id: string, overrides: Partial<DriftThresholds>): Promise<Model> {
    return this.dataSource.transaction(async (m) => {
      const models = this.models.with(m);
      const model = await models.get({ id });
      model.driftPolicy = Object.keys(overrides).length > 0 ? overrides : null;
      const saved = await models.save(model);
      await this.trail.record(
        {
          action: 'policy.updated',
          objectType: 'model',
          objectId: id,
          details: { policy: 'drift', overrides },
        },
        m,
      );
      return saved;
    });
  }
}

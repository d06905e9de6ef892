import type {
  EntityManager,
  FindOptionsOrder,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import { DomainError } from '../core/errors';
import { currentPrincipal } from './request-context';

/** Entities that belong to one organization (audit events may have none: a failed unknown-key call). */
export interface OrgOwned extends ObjectLiteral {
  organizationId: string | null;
}

/**
 * A repository that is always scoped to the caller's organization: every read adds
 * `organization_id = <caller's org>`, every write sets it. Another organization's row is simply not found,
 * so the API answers 404 as if it did not exist.
 */
export class OrgRepository<E extends OrgOwned> {
  constructor(
    private readonly repo: Repository<E>,
    private readonly what: string,
  ) {}

  /** The same scope inside a transaction. */
  with(manager: EntityManager): OrgRepository<E> {
    return new OrgRepository(manager.getRepository<E>(this.repo.target), this.what);
  }

  private scoped(where: FindOptionsWhere<E> = {}): FindOptionsWhere<E> {
    return { ...where, organizationId: currentPrincipal().organizationId };
  }

  findOne(where: FindOptionsWhere<E>): Promise<E | null> {
    return this.repo.findOne({ where: this.scoped(where) });
  }

  async get(where: FindOptionsWhere<E>): Promise<E> {
    const found = await this.findOne(where);
    if (!found) throw new DomainError('not_found', `${this.what} not found.`);
    return found;
  }

  find(where: FindOptionsWhere<E> = {}, order?: FindOptionsOrder<E>, take?: number): Promise<E[]> {
    return this.repo.find({ where: this.scoped(where), order, take });
  }

  count(where: FindOptionsWhere<E> = {}): Promise<number> {
    return this.repo.count({ where: this.scoped(where) });
  }

  create(fields: Omit<Partial<E>, 'organizationId'>): E {
    return this.repo.create({ ...fields, organizationId: currentPrincipal().organizationId } as unknown as E);
  }

  save(entity: E): Promise<E> {
    if (entity.organizationId !== currentPrincipal().organizationId) {
      throw new DomainError('not_found', `${this.what} not found.`);
    }
    return this.repo.save(entity);
  }

  /**
   * Inserts a new entity (one INSERT … RETURNING; the generated and default columns are set on it) and returns
   * it. Unlike save() it neither looks for an existing row nor deep-copies the entity's values: for a row with
   * large JSON columns that copy held the event loop for tens of milliseconds.
   */
  async insert(entity: E): Promise<E> {
    if (entity.organizationId !== currentPrincipal().organizationId) {
      throw new DomainError('not_found', `${this.what} not found.`);
    }
    await this.repo.insert(entity);
    return entity;
  }

  /** A query builder already restricted to the caller's organization. */
  query(alias: string): SelectQueryBuilder<E> {
    return this.repo
      .createQueryBuilder(alias)
      .where(`${alias}.organizationId = :__org`, { __org: currentPrincipal().organizationId });
  }
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../core/errors';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The 400 for a cursor this API did not issue (every paginated list answers it the same way). */
export function invalidCursor(): DomainError {
  return new DomainError('invalid_input', 'cursor is not a cursor this API issued.', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}

interface Keyed {
  id: string;
  createdAt: Date;
}

/** UTC timestamp with up to microseconds, as the cursor carries it (older cursors carry milliseconds). */
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Raw column holding each row's created_at at full (microsecond) precision: a JS Date keeps milliseconds only. */
const EXACT_AT = '__cursor_at';

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // Strict, so that the database never sees a value it would reject (a 500): a real date (no 30 February), a UUID.
  const valid =
    createdAt !== undefined &&
    CURSOR_AT.test(createdAt) &&
    new Date(createdAt).toISOString().slice(0, 19) === createdAt.slice(0, 19) &&
    id !== undefined &&
    UUID.test(id) &&
    rest.length === 0;
  if (!valid) throw invalidCursor();
  return { createdAt, id };
}

/** Keyset pagination, newest first (created_at DESC, id DESC). */
export async function paginate<E extends ObjectLiteral & Keyed>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  page: PageQueryDto,
): Promise<Page<E>> {
  const limit = page.limit ?? 50;
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    qb.andWhere(`(${alias}.createdAt, ${alias}.id) < (:__cAt, :__cId)`, { __cAt: c.createdAt, __cId: c.id });
  }
  const { entities: rows, raw } = await qb
    .addSelect(`to_char(${alias}.createdAt AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, EXACT_AT)
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(limit + 1)
    .getRawAndEntities<Record<typeof EXACT_AT, string>>();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  // Without joins, raw rows and entities correspond one to one.
  const lastAt = raw[items.length - 1]?.[EXACT_AT] ?? last?.createdAt.toISOString();
  const nextCursor =
    rows.length > limit && last && lastAt ? Buffer.from(`${lastAt}|${last.id}`).toString('base64url') : null;
  return { items, nextCursor };
}

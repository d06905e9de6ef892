/** Size limits of one upload. Exceeding rows or field size is a 413; too many groups is a 400. */
export interface IngestLimits {
  /** Data rows (header excluded), counting skipped rows. */
  readonly maxRows: number;
  /** Bytes of one field as written (quotes included). */
  readonly maxFieldBytes: number;
  /** Distinct values of one sensitive attribute: more looks like a free-text or identifier column. */
  readonly maxGroupsPerAttribute: number;
  /** Sensitive attributes of one audit. */
  readonly maxAttributes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxRows: 20_000_000,
  maxFieldBytes: 64 * 1024,
  maxGroupsPerAttribute: 200,
  maxAttributes: 16,
};

/** Fills unset limits with the defaults. Group codes are Uint16 with 0xffff reserved, hence the cap. */
export function resolveLimits(limits: Partial<IngestLimits> = {}): IngestLimits {
  const merged = { ...DEFAULT_INGEST_LIMITS, ...limits };
  return { ...merged, maxGroupsPerAttribute: Math.min(merged.maxGroupsPerAttribute, 0xfffe) };
}

export * from './batch';
export * from './audit-config';
export * from './limits';
export * from './column-mapping';
export type { IngestOutcome, CsvDelimiter } from './batch-builder';
export * from './csv-ingestor';
export * from './json-ingestor';
export * from './batch-codec';
export * from './columnar-ingestor';

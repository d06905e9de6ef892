export * from './part-merger';
export * from './round-config';
export * from './site-counts';

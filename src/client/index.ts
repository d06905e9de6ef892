export * from './fairwatch-client';
export * from './round-parts';

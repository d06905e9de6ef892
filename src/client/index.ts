export * from './fairwatch-client';

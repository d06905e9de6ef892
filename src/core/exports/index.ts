export * from './types';
export * from './hti-1-attributes';
export * from './hti-1';
export * from './chai-model-card';
export { auditDate } from './evidence';

export * from './types';
export * from './catalog';
export * from './documentation';
export * from './policy';
export * from './rule-spec';
export * from './engine';

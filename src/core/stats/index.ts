export * from './distributions';
export * from './intervals';
export * from './tests';
export * from './argsort';
export * from './prng';
export * from './power';

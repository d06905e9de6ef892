export * from './mechanisms';
export * from './random-source';
export { sampleDiscreteGaussian, sampleDiscreteLaplace, bernoulliExpMinus } from './exact-samplers';
export { toRational, type Rational } from './rational';

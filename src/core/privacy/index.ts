export * from './mechanisms';
export * from './random-source';
export { sampleDiscreteGaussian, sampleDiscreteLaplace, bernoulliExpMinus } from './exact-samplers';
export { toRational, type Rational } from './rational';
export { rateNoiseVariance, widenForNoise, widenInterval } from './noised-intervals';
export { computeNoisedFairness } from './noised-fairness';
export { privacyMethodology, privacyParameters, privacyStatement } from './statement';

export * from './model';
export * from './disparity-chart';
export * from './timeline-chart';
export * from './to-vega-lite';
export * from './decile-chart';

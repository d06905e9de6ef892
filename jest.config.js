// Run through `npm test` (NODE_OPTIONS=--experimental-vm-modules: PGlite's CJS build uses import()).
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax, decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs', ignoreDynamic: true }, // keep import() native (vega is ESM-only)
  },
];

const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': swc('typescript'),
    // d3-scale and its d3 dependencies are ESM only: the app requires them natively (Node >= 20.19), jest
    // needs them compiled to CommonJS (its require(esm) support starts with Node 24.9).
    '/node_modules/(d3-[a-z-]+|internmap)/.+\\.m?js$': swc('ecmascript'),
  },
  transformIgnorePatterns: ['/node_modules/(?!(d3-[a-z-]+|internmap)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  testTimeout: 60000, // a global option: project entries cannot set it
  reporters: ['default', '<rootDir>/test/plain-summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', roots: ['<rootDir>/src'], testRegex: '.*\\.spec\\.ts$' },
    {
      ...base,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testRegex: '.*\\.e2e-spec\\.ts$',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};

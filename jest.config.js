/** Tests hit real components (SQLite files seeded from the dataset, HTTP servers, ONNX sessions). */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/node-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata', '<rootDir>/test/helpers/quiet-logs.js'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testTimeout: 60000,
  // One worker process, replaced whenever a test file leaves it above this much memory: every file loads
  // its own copy of the module graph (Apollo, Prisma, ONNX Runtime), which one long-lived process would
  // accumulate until V8's heap limit (seen at ~4 GB after 40 files, run in band).
  maxWorkers: 1,
  workerIdleMemoryLimit: '1536MB',
};

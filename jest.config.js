// Two projects: `unit` needs no services; `integration` uses a real Neo4j (started by globalSetup unless
// NEO4J_URI names one), real HTTP and a real browser.
const moduleNameMapper = {
  '^@eior/graph$': '<rootDir>/libs/graph/src/index.ts',
  '^@eior/model$': '<rootDir>/libs/model/src/index.ts',
};
const transform = { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  // Integration hooks start servers and ingest real data; unit tests finish far below this.
  testTimeout: 300000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      testEnvironment: 'node',
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: 'node',
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
};

import { defineConfig } from 'vitest/config';

// The JSON Schema tests compile the whole published schema with a strict ajv: a few seconds when
// the test run shares two cores with the other packages' suites.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});

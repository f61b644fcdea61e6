import { defineConfig } from 'vitest/config';

// Render tests load and compile the validation schemas, and publish tests run real git: give
// them more than the default five seconds on a loaded two-core machine.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000 },
});

import { defineConfig } from 'vitest/config';

// The stack tests synthesize every example cluster (cdktf) in their setup: seconds each, and
// tens of seconds on a loaded two-core machine.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000 },
});

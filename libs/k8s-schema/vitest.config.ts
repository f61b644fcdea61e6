import { defineConfig } from 'vitest/config';

// Compile-cache tests compile workload schemas from scratch (seconds each on a loaded two-core machine).
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});

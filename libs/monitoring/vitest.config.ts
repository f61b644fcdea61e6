import { defineConfig } from 'vitest/config';

// The alert tests run the real promtool over many scenarios: seconds on a loaded two-core machine.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});

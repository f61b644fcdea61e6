import { defineConfig } from 'vitest/config';

// These tests run real processes (node, turbo) against the repository; give them room and run
// the files one after another so two turbo runs never race on the same outputs.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
});

/// <reference types="vitest" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// `npm run dev` serves on SENTINEL_UI_PORT (default 5173) and reaches the API at
// VITE_API_BASE (default: same host, port 8000). The built files are served by `sentinel up`.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { port: Number(process.env.SENTINEL_UI_PORT ?? 5173), strictPort: true },
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 600 },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // Generous bounds: CI machines may be busy; a test that hangs still fails.
    testTimeout: 30000,
  },
});

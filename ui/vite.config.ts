/// <reference types="vitest" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The app chunk is loaded by the entry through import() (main.tsx starts the landing page's
// API requests first); a modulepreload link lets the browser fetch it alongside the entry.
function preloadAppChunk(): Plugin {
  return {
    name: 'sentinel-preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'boot');
        return chunk ? [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` }, injectTo: 'head' }] : [];
      },
    },
  };
}

// `npm run dev` serves on SENTINEL_UI_PORT (default 5173) and reaches the API at
// VITE_API_BASE (default: same host, port 8000). The built files are served by `sentinel up`.
export default defineConfig({
  plugins: [react(), preloadAppChunk()],
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

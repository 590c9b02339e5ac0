/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Pages are loaded with React.lazy (see src/routes.tsx), so each route is its own chunk.
// The big libraries get their own long-cached chunks.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': process.env.OC_API ?? 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API is same-origin in production (the server serves dist/); in development Vite proxies it.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      // See src/lib/rjsf-validator-stub.ts: no Ajv (it needs eval) in the browser.
      '@rjsf/validator-ajv8': fileURLToPath(new URL('./src/lib/rjsf-validator-stub.ts', import.meta.url)),
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
      '/healthz': { target: 'http://localhost:3000' },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd is large; the staff console is split into lazy chunks, the rest is one vendor chunk.
    chunkSizeWarningLimit: 1500,
  },
});

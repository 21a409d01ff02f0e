/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard is served by the gateway under /ui/. `npm run dev` proxies the API to a running
// gateway: BROOK_GATEWAY (default http://localhost:8080).
const gateway = process.env.BROOK_GATEWAY ?? 'http://localhost:8080';

export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/v3': { target: gateway, changeOrigin: true, ws: true },
      '/actuator': { target: gateway, changeOrigin: true },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});

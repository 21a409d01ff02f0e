/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard is served by the gateway under /ui/. `npm run dev` proxies the API to a running
// gateway: BROOK_GATEWAY (default http://localhost:8080).
const gateway = process.env.BROOK_GATEWAY ?? 'http://localhost:8080';

// Gateways older than the dashboard answer a 401 with a Basic challenge whatever the client says,
// and the browser would open its own login dialog: the dev proxy keeps only the Bearer one.
const bearerOnly = {
  configure(proxy: { on(event: 'proxyRes', fn: (res: { headers: Record<string, string | string[] | undefined> }) => void): void }) {
    proxy.on('proxyRes', (res) => {
      const h = res.headers['www-authenticate'];
      if (h) res.headers['www-authenticate'] = 'Bearer realm="brook"';
    });
  },
};

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
      '/v3': { target: gateway, changeOrigin: true, ws: true, ...bearerOnly },
      '/actuator': { target: gateway, changeOrigin: true },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});

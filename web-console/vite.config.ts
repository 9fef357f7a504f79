import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by api-gateway under /console/ from the web-console jar (META-INF/resources/console).
// Everything is bundled: no CDN at run time, and no inline script (the gateway's CSP forbids it).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});

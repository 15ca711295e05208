import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// @wushe/domain is a workspace package shipped as TypeScript source (symlinked in node_modules):
// keep it out of dependency pre-bundling so Vite transforms its .ts files like our own.
export default defineConfig({
  plugins: [react()],
  optimizeDeps: { exclude: ['@wushe/domain'] },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});

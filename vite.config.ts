import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const serverPort = Number(process.env['PORT'] ?? 8080);

export default defineConfig({
  root: 'client',
  plugins: [solid()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    port: 5173,
    // Host is passed through unchanged so that the server's same-origin (CSRF) check sees the page's origin.
    proxy: {
      '/api': { target: `http://127.0.0.1:${serverPort}`, changeOrigin: false },
      '/healthz': { target: `http://127.0.0.1:${serverPort}`, changeOrigin: false },
      '/sync': { target: `ws://127.0.0.1:${serverPort}`, ws: true, changeOrigin: false },
    },
  },
});

import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { precompressAssets } from './scripts/precompressAssets.ts';

const serverPort = Number(process.env['PORT'] ?? 8080);

export default defineConfig({
  root: 'client',
  plugins: [solid(), precompressAssets()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in what the server publishes (they would hand out the whole client source, comments
    // included); `npm run dev` still has them, as Vite's dev server makes its own.
    sourcemap: false,
    rolldownOptions: {
      output: {
        // livekit-client in a chunk of its own name: the meeting room and the early connection
        // (client/meeting/video/earlyRoom.ts) share it, and the bench's chunk table says what it is.
        // zod and yjs in chunks of their own too: the first screen validates API answers with zod but has no
        // use for yjs, and left to itself the bundler put both (and shared code) in one chunk that the first
        // screen then loaded whole.
        codeSplitting: {
          groups: [
            { name: 'livekit', test: /node_modules[\\/]livekit-client[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
            { name: 'yjs', test: /node_modules[\\/](yjs|lib0|y-protocols|y-websocket|y-indexeddb)[\\/]/ },
          ],
        },
      },
    },
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

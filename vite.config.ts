import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer); the same headers are
// sent by the dev server and by `vite preview`, so what is tested is what is shipped.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation, port: 5173, strictPort: false },
  preview: { headers: isolation, port: 4173 },
  worker: {
    format: 'es',
    // tfjs-backend-wasm starts its pthreads from its own module's source text (fn.toString()), which
    // must still make sense on its own: renaming identifiers ("e is not defined" in every thread) or
    // inlining its outer variables ("_scriptDir is not defined") breaks it. The worker is not minified.
    rolldownOptions: { output: { minify: false } },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});

import { defineConfig } from "vite";

// Node's environment (the config runs in Node; its types are not installed).
declare const process: { env: Record<string, string | undefined> };

// BENCH_MINIFY=0 builds it unminified, for profiling.
// Builds the benchmark page (bench/index.html) into bench/dist for run_bench.py.
export default defineConfig({
  root: "bench",
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", emptyOutDir: true, minify: process.env.BENCH_MINIFY !== "0" },
});

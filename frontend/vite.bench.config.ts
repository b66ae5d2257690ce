import { defineConfig } from "vite";

// Builds the benchmark page (bench/index.html) into bench/dist for run_bench.py.
export default defineConfig({
  root: "bench",
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", emptyOutDir: true, minify: process.env.BENCH_MINIFY !== "0" },
});

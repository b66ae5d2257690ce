import { render } from "preact";
import "../src/app.css";
import { App } from "../src/ui/App";
import { installFakeApi } from "./fakeApi";
import { makeAnnotation, makeText, NEWS_LABELS, rng } from "./generate";
import { runPerf } from "./perf";

declare global {
  interface Window {
    __bench?: unknown;
    __server?: unknown;
  }
}

const mode = new URLSearchParams(location.search).get("mode") ?? "perf";
const root = document.getElementById("app") as HTMLElement;

if (mode === "perf") {
  runPerf(root).then(
    (r) => {
      window.__bench = r;
    },
    (e) => {
      window.__bench = { error: String(e) };
    },
  );
} else {
  // The real UI over the fake API: a short article (ui) or the long one (ui-long).
  const long = mode === "ui-long";
  const rand = rng(7);
  const genStart = performance.now();
  const text = long
    ? makeText(100_000, rand)
    : "Sekretaris Jenderal NATO Jens Stoltenberg mengatakan aliansi akan mengadakan latihan.\n\n" +
      '"Itu akan menjadi sinyal yang salah untuk dikirim," kata Stoltenberg kepada wartawan di Brussel.';
  const state = long
    ? makeAnnotation(text, 5000, 500, rand)
    : { spans: [], relations: [], document_labels: {} };
  (window as unknown as { __genMs: number }).__genMs = performance.now() - genStart;
  window.__server = installFakeApi({
    text,
    title: "Benchmark article",
    labels: NEWS_LABELS,
    state,
  });
  history.replaceState(null, "", `/projects/1/documents/1/${location.search}`);
  render(<App />, root);
}

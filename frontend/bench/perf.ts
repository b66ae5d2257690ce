/**
 * Editor core figures on a 100,000-character article with 5,000 spans and
 * 500 relations: first render, one-span edits, and scrolling; then the same article
 * with 5,000 suggestions (and 500 suggested links) over it: showing them, accepting and
 * rejecting one, scrolling, accepting all. Results land in window.__bench for the driver
 * script (run_bench.py) to print.
 */
import { createEditor } from "../src/editor";
import "../src/app.css";
import type { SuggestionSet } from "../src/editor/ghosts";
import type { AnnotationState, Op } from "../src/editor/types";
import { makeAnnotation, makeText, NEWS_LABELS, rng } from "./generate";
import { structurePerf } from "./structure";

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: values.length,
    median: r(at(0.5)),
    p95: r(at(0.95)),
    max: r(sorted[sorted.length - 1]),
  };
}

/** Scrolls top to bottom, `step` pixels per frame; reports frame intervals and paint work. */
async function scrollThrough(
  scroller: HTMLElement,
  paints: Array<{ blocks: number; ms: number }>,
  step: number,
) {
  scroller.scrollTop = 0;
  await frame();
  await frame();
  paints.length = 0;
  const intervals: number[] = [];
  let last = await frame();
  for (let y = step; y < scroller.scrollHeight; y += step) {
    scroller.scrollTop = y;
    const now = await frame();
    intervals.push(now - last);
    last = now;
  }
  const work = paints.filter((p) => p.blocks > 0);
  return {
    frames: intervals.length,
    frame_interval_ms: stats(intervals),
    frames_over_33ms: intervals.filter((i) => i > 33.4).length,
    paint_ms: stats(work.map((p) => p.ms)),
    blocks_per_paint: stats(work.map((p) => p.blocks)),
  };
}

export async function runPerf(root: HTMLElement): Promise<Record<string, unknown>> {
  const rand = rng(42);
  const text = makeText(100_000, rand);
  const state = makeAnnotation(text, 5000, 500, rand);
  root.replaceChildren();
  const scroller = document.createElement("div");
  scroller.className = "article-scroll";
  scroller.style.cssText = "height:860px;width:960px;overflow:auto;background:#fff";
  root.appendChild(scroller);
  const host = document.createElement("div");
  scroller.appendChild(host);
  const paints: Array<{ blocks: number; ms: number }> = [];

  await frame();
  const t0 = performance.now();
  const editor = createEditor(host, {
    text,
    labels: NEWS_LABELS,
    state,
    scrollRoot: scroller,
    onPaint: (p) => paints.push(p),
  });
  const tCreated = performance.now();
  await editor.whenPainted();
  const tPainted = performance.now();
  await frame();
  const tFrame = performance.now();
  const firstRender = {
    create_ms: Math.round(tCreated - t0),
    painted_ms: Math.round(tPainted - t0),
    first_frame_ms: Math.round(tFrame - t0),
    blocks_painted: paints[0]?.blocks ?? 0,
  };

  // One-span edits near the top (on screen), each timed with a forced layout.
  const visible = editor.spansInOrder().filter((s) => s.start < 3000 && s.label !== "QUOTE");
  const timed = (ops: Op[]) => {
    const t = performance.now();
    editor.apply(ops);
    void host.getBoundingClientRect();
    return performance.now() - t;
  };
  const add: number[] = [];
  const relabel: number[] = [];
  const del: number[] = [];
  for (let i = 0; i < 200; i++) {
    const base = visible[i % visible.length];
    const id = `bench${i}`;
    add.push(timed([{ op: "add_span", span: { ...base, id, label: "MISC", attributes: {} } }]));
    relabel.push(timed([{ op: "update_span", id, label: "EVENT" }]));
    del.push(timed([{ op: "delete_span", id }]));
    if (i % 20 === 0) await frame();
  }
  const undoStart = performance.now();
  editor.undo();
  const undoMs = performance.now() - undoStart;

  const smooth = await scrollThrough(scroller, paints, 120);
  const jumps = await scrollThrough(scroller, paints, 800);
  const scroll = {
    smooth_120px_per_frame: smooth,
    screen_per_frame_800px: jumps,
    overlay_elements_on_page: host.querySelectorAll(".wb-bar, .wb-tag, .wb-box").length,
  };
  const result = {
    text_chars: text.length,
    code_points: Array.from(text).length,
    spans: state.spans.length,
    relations: state.relations.length,
    blocks: host.querySelectorAll("[data-block]").length,
    first_render: firstRender,
    add_span_ms: stats(add),
    relabel_span_ms: stats(relabel),
    delete_span_ms: stats(del),
    undo_ms: Math.round(undoMs * 100) / 100,
    scroll,
  };
  editor.destroy();
  const suggestions = await suggestionPerf(host, scroller, text, state, rand);
  return { ...result, suggestions, structure: await structurePerf(host, scroller, text) };
}

/** 5,000 ghosts (with 500 suggested links) over the article and its 5,000 spans. */
async function suggestionPerf(
  host: HTMLElement,
  scroller: HTMLElement,
  text: string,
  state: AnnotationState,
  rand: () => number,
) {
  const proposed = makeAnnotation(text, 5000, 500, rand);
  const set: SuggestionSet = {
    spans: proposed.spans.map((s) => ({ ...s, id: `g-${s.id}`, score: 0.9, source: "quotes" })),
    relations: proposed.relations.map((r) => ({
      from: `g-${r.from}`,
      to: `g-${r.to}`,
      label: r.label,
      score: 0.9,
      source: "quotes",
    })),
  };
  const paints: Array<{ blocks: number; ms: number }> = [];
  host.replaceChildren();
  const editor = createEditor(host, {
    text,
    labels: NEWS_LABELS,
    state,
    scrollRoot: scroller,
    onPaint: (p) => paints.push(p),
  });
  await editor.whenPainted();
  scroller.scrollTop = 0;
  await frame();
  const t0 = performance.now();
  editor.setSuggestions(set);
  void host.getBoundingClientRect();
  const shownMs = performance.now() - t0;
  await frame();
  const timed = (act: () => void) => {
    const t = performance.now();
    act();
    void host.getBoundingClientRect();
    return performance.now() - t;
  };
  const accept: number[] = [];
  const reject: number[] = [];
  const step: number[] = [];
  for (let i = 0; i < 100; i++) {
    step.push(timed(() => editor.focusAdjacentSuggestion(1)));
    accept.push(timed(() => editor.acceptSuggestion()));
    reject.push(timed(() => editor.rejectSuggestion()));
    if (i % 10 === 0) await frame();
  }
  const smooth = await scrollThrough(scroller, paints, 120);
  const left = editor.suggestions().length;
  const tAll = performance.now();
  const all = editor.acceptSuggestions();
  void host.getBoundingClientRect();
  const acceptAllMs = performance.now() - tAll;
  const result = {
    suggestions: set.spans.length,
    suggested_links: set.relations.length,
    show_ms: Math.round(shownMs * 100) / 100,
    focus_next_ms: stats(step),
    accept_one_ms: stats(accept),
    reject_one_ms: stats(reject),
    scroll_with_ghosts_120px_per_frame: smooth,
    accept_all: { shown: left, accepted: all.accepted, ms: Math.round(acceptAllMs) },
  };
  editor.destroy();
  return result;
}

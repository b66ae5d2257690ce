import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Comment, threadsOf } from "../api/conversation";
import { CommentsPanel } from "./CommentsPanel";

function comment(id: number, fields: Partial<Comment> = {}): Comment {
  return {
    id,
    author: "alice",
    mine: true,
    text: `comment ${id}`,
    created_at: "2026-12-01T10:00:00Z",
    edited_at: null,
    annotation: null,
    span_id: null,
    thread: null,
    reply_to: null,
    resolved: false,
    deleted: false,
    ...fields,
  };
}

const HOSTILE = '<img src=x onerror="window.pwned=1"> **bold**';
const COMMENTS = [
  comment(1, { annotation: "alice", span_id: "s1", text: HOSTILE }),
  comment(2, { author: "rita", mine: false, text: "document-wide" }),
  comment(3, { thread: 1, reply_to: 1, author: "rita", mine: false, text: "a reply" }),
  comment(4, { annotation: "gold", span_id: "g1", author: "rita", mine: false }),
];

async function mount(selectedSpanId: string | null = null, onShowSpan = vi.fn()) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify(COMMENTS), { status: 200 })),
  );
  const el = document.createElement("div");
  document.body.append(el);
  render(
    <CommentsPanel
      pk={1}
      docId={2}
      annotation="mine"
      spanOwner="alice"
      selectedSpanId={selectedSpanId}
      spanText={(id) => (id === "s1" ? "Jens Stoltenberg" : null)}
      onShowSpan={onShowSpan}
      reviewer={false}
    />,
    el,
  );
  await vi.waitFor(() => expect(el.querySelectorAll(".comment-thread").length).toBe(3));
  return el;
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

describe("threadsOf", () => {
  it("groups replies under their first comment, threads oldest first", () => {
    const threads = threadsOf(COMMENTS);
    expect(threads.map((t) => t.first.id)).toEqual([1, 2, 4]);
    expect(threads[0].replies.map((r) => r.id)).toEqual([3]);
  });
});

describe("CommentsPanel", () => {
  it("shows comment text as text, never as markup", async () => {
    const el = await mount();
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector("strong.md, b")).toBeNull();
    expect(el.textContent).toContain(HOSTILE);
  });

  it("jumps to my span from its thread, and only for my spans", async () => {
    const onShowSpan = vi.fn();
    const el = await mount(null, onShowSpan);
    const jump = [...el.querySelectorAll<HTMLButtonElement>(".comment-about button")];
    expect(jump.map((b) => b.textContent)).toEqual(["On “Jens Stoltenberg”"]);
    jump[0].click();
    expect(onShowSpan).toHaveBeenCalledWith("s1");
  });

  it("marks the threads of the span selected in the text", async () => {
    const el = await mount("s1");
    const current = el.querySelectorAll(".comment-thread.current");
    expect(current.length).toBe(1);
    expect(current[0].getAttribute("data-span-id")).toBe("s1");
  });
});

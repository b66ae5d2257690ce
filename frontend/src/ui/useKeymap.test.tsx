import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { createEditor, type Editor } from "../editor";
import { LABELS, label } from "../editor/testing";
import { type EditorActionContext, runEditorAction } from "./editorActions";
import type { Action } from "./keys";
import { useKeymap } from "./useKeymap";

const TEXT = "Jens Stoltenberg berkata di Brussels.";
const DOC_LABELS = [
  label("negative", "document", { group: "sentiment", hotkey: "3" }),
  label("politics", "document", { group: "topic", multiple: true, hotkey: "7" }),
  label("defence", "document", { group: "topic", multiple: true, hotkey: "8" }),
];
const PROJECT_LABELS = [
  ...LABELS.map((l) => (l.name === "PER" ? { ...l, hotkey: "p" } : l)),
  ...DOC_LABELS,
];

let cleanup = () => {};
afterEach(() => cleanup());

/** An editor on TEXT with the key map on the page; `onlyHelp` as the pages pass it. */
async function mount(onlyHelp = false) {
  const root = document.createElement("div");
  const host = document.createElement("div");
  const input = document.createElement("input");
  document.body.append(root, host, input);
  const editor = createEditor(host, {
    text: TEXT,
    labels: PROJECT_LABELS,
    state: { spans: [], relations: [], document_labels: {} },
  });
  const actions: Action[] = [];
  const notices: string[] = [];
  const ctx: EditorActionContext = {
    docLabels: DOC_LABELS,
    snap: true,
    notice: (m) => notices.push(m),
  };
  const run = (action: Action) => {
    actions.push(action);
    if (action.type === "help" || action.type === "save") return true;
    return runEditorAction(editor, action, ctx) ?? false;
  };
  function Page() {
    useKeymap(editor, PROJECT_LABELS, run, onlyHelp);
    return null;
  }
  await act(() => render(<Page />, root));
  cleanup = () => {
    render(null, root);
    editor.destroy();
    root.remove();
    host.remove();
    input.remove();
  };
  return { editor, input, actions, notices, host };
}

function press(target: EventTarget, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const ev = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(ev);
  return ev;
}

function selectText(editor: Editor, host: HTMLElement, needle: string): void {
  const node = host.querySelector("[data-block]")?.firstChild as Text;
  const range = document.createRange();
  const at = TEXT.indexOf(needle);
  range.setStart(node, at);
  range.setEnd(node, at + needle.length);
  document.getSelection()?.removeAllRanges();
  document.getSelection()?.addRange(range);
  expect(editor.hasTextSelection()).toBe(true);
}

describe("the shared key map", () => {
  it("labels the selected text with its hotkey, then relabels nothing without a selection", async () => {
    const { editor, host, notices } = await mount();
    selectText(editor, host, "Stoltenberg");
    const ev = press(document.body, "p");
    expect(ev.defaultPrevented).toBe(true);
    expect(editor.spansInOrder()).toMatchObject([{ label: "PER", start: 5, end: 16 }]);
    editor.selectSpan(null);
    press(document.body, "p");
    expect(notices).toEqual(["Select some text first, then pick a label."]);
  });

  it("leaves keys typed in a form control alone; Escape leaves the control", async () => {
    const { input, actions } = await mount();
    input.focus();
    press(input, "p");
    press(input, "Delete");
    expect(actions).toEqual([]);
    const ev = press(input, "Escape");
    expect(ev.defaultPrevented).toBe(true);
    expect(document.activeElement).not.toBe(input);
    expect(press(input, "s", { ctrlKey: true }).defaultPrevented).toBe(true);
    expect(actions).toEqual([{ type: "save" }]);
  });

  it("lets only help through while a choice is pending", async () => {
    const { actions } = await mount(true);
    press(document.body, "z", { ctrlKey: true });
    press(document.body, "?");
    expect(actions).toEqual([{ type: "help" }]);
  });

  it("sets a single-value document label and toggles values of a multiple group", async () => {
    const { editor } = await mount();
    press(document.body, "3");
    press(document.body, "7");
    press(document.body, "8");
    press(document.body, "7");
    expect(editor.documentLabels()).toEqual({ sentiment: "negative", topic: ["defence"] });
  });
});

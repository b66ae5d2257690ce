import { describe, expect, it } from "vitest";
import type { Label } from "../editor/types";
import { RESERVED_HOTKEYS, resolveKey } from "./keys";

const base = { ctrlKey: false, metaKey: false, altKey: false, shiftKey: false };
const L = (name: string, kind: Label["kind"], hotkey: string, group = ""): Label => ({
  id: 0,
  name,
  kind,
  hotkey,
  group,
  color: "#000",
  description: "",
  attributes: {},
  source_labels: [],
  target_labels: [],
  multiple: false,
});
const labels = [
  L("PER", "span", "p"),
  L("SPEAKER", "relation", "s"),
  L("negative", "document", "3", "sentiment"),
];
const none = { hasTextSelection: false, hasSelectedSpan: false };

describe("key map", () => {
  it("maps label, relation and document hotkeys", () => {
    expect(resolveKey({ ...base, key: "p" }, labels, none)).toEqual({ type: "label", name: "PER" });
    expect(resolveKey({ ...base, key: "s" }, labels, none)).toEqual({
      type: "link",
      relation: "SPEAKER",
    });
    expect(resolveKey({ ...base, key: "3" }, labels, none)).toEqual({
      type: "docLabel",
      group: "sentiment",
      value: "negative",
    });
  });

  it("maps Ctrl+S (or Cmd+S) to save, and leaves Alt+S to skip", () => {
    expect(resolveKey({ ...base, ctrlKey: true, key: "s" }, labels, none)).toEqual({
      type: "save",
    });
    expect(resolveKey({ ...base, metaKey: true, key: "S" }, labels, none)).toEqual({
      type: "save",
    });
    expect(resolveKey({ ...base, altKey: true, key: "s" }, labels, none)).toEqual({
      type: "skip",
    });
  });

  it("maps undo, redo and submit", () => {
    expect(resolveKey({ ...base, ctrlKey: true, key: "z" }, labels, none)).toEqual({
      type: "undo",
    });
    expect(resolveKey({ ...base, ctrlKey: true, shiftKey: true, key: "Z" }, labels, none)).toEqual({
      type: "redo",
    });
    expect(resolveKey({ ...base, ctrlKey: true, key: "Enter" }, labels, none)).toEqual({
      type: "submit",
    });
  });

  it("extends a text selection, or resizes the selected span", () => {
    const key = { ...base, shiftKey: true, key: "ArrowRight" };
    expect(
      resolveKey(key, labels, { hasTextSelection: true, hasSelectedSpan: true }),
    ).toMatchObject({
      type: "extend",
    });
    expect(
      resolveKey({ ...key, altKey: true }, labels, {
        hasTextSelection: false,
        hasSelectedSpan: true,
      }),
    ).toEqual({
      type: "resize",
      edge: "start",
      dir: 1,
      unit: "character",
    });
  });

  it("ignores hotkeys pressed with Ctrl", () => {
    expect(resolveKey({ ...base, ctrlKey: true, key: "p" }, labels, none)).toBeNull();
  });

  it("maps Shift+Delete to removing links and Shift+R to resizing to the selection", () => {
    expect(resolveKey({ ...base, shiftKey: true, key: "Delete" }, labels, none)).toEqual({
      type: "unlink",
    });
    expect(resolveKey({ ...base, shiftKey: true, key: "R" }, labels, none)).toEqual({
      type: "resizeToSelection",
    });
  });

  it("accepts a hotkey typed with Caps Lock on", () => {
    expect(resolveKey({ ...base, key: "P" }, labels, none)).toEqual({ type: "label", name: "PER" });
  });
});

describe("keys for interrupted quotes and chains", () => {
  it("maps Shift+J to join, Shift+U to split and Shift+C to the chain key", () => {
    const shift = { ...base, shiftKey: true };
    expect(resolveKey({ ...shift, key: "J" }, labels, none)).toEqual({ type: "join" });
    expect(resolveKey({ ...shift, key: "U" }, labels, none)).toEqual({ type: "split" });
    expect(resolveKey({ ...shift, key: "C" }, labels, none)).toEqual({ type: "chain" });
    // Never a label's: the server refuses them as hotkeys.
    for (const key of "JUC") expect(RESERVED_HOTKEYS).toContain(key);
  });

  it("links with the relation whose hotkey was pressed", () => {
    const withCue = [...labels, L("CUE", "relation", "k")];
    expect(resolveKey({ ...base, key: "k" }, withCue, none)).toEqual({
      type: "link",
      relation: "CUE",
    });
  });
});

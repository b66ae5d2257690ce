export { createEditor, type Editor, type EditorOptions } from "./editor";
export { createOffsetMap } from "./offsets";
export type * from "./types";

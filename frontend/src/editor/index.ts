export { createEditor, type Editor, type EditorOptions } from "./editor";
export type { SuggestedRelation, SuggestedSpan, SuggestionSet } from "./ghosts";
export { createOffsetMap } from "./offsets";
export type * from "./types";

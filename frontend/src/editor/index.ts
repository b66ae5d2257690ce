export {
  type ChainResult,
  type ChainView,
  createEditor,
  type Editor,
  type EditorOptions,
  type EditorVersions,
  type JoinResult,
} from "./editor";
export type { SuggestedRelation, SuggestedSpan, SuggestionSet } from "./ghosts";
export { createOffsetMap } from "./offsets";
export type * from "./types";

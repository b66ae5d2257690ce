/**
 * Every change goes through here as a batch of ops: applied all or nothing,
 * recorded as one undoable step, and reported with what it touched so the
 * editor repaints and autosaves exactly that.
 */
import { History } from "./history";
import { emptyChange, type SpanStore, type StoreChange } from "./spanStore";
import type { Op } from "./types";

export interface UndoOptions {
  store: SpanStore;
  /** A batch was applied (or rolled back: then `ops` is empty). */
  onChange: (change: StoreChange, ops: Op[]) => void;
  /** A batch could not be applied; the message says why. */
  onError: (message: string) => void;
}

export interface Undo {
  /** Applies `ops` as one step; `record: false` for replays that must not enter the history. */
  apply(ops: Op[], record?: boolean): boolean;
  undo(): boolean;
  redo(): boolean;
  clear(): void;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

export function createUndo({ store, onChange, onError }: UndoOptions): Undo {
  const history = new History();

  function apply(ops: Op[], record = true): boolean {
    const change = emptyChange();
    const inverse: Op[] = [];
    const done: Op[] = [];
    try {
      for (const op of ops) {
        inverse.unshift(...store.apply(op, change));
        done.push(op);
      }
    } catch (err) {
      // Roll back the ops that did apply so a failed step leaves no trace.
      const undoChange = emptyChange();
      for (const op of inverse) store.apply(op, undoChange);
      onChange(change, []);
      onChange(undoChange, []);
      onError(err instanceof Error ? err.message : String(err));
      return false;
    }
    if (record) history.record({ ops: done, inverse });
    onChange(change, done);
    return true;
  }

  return {
    apply,
    undo() {
      const tx = history.takeUndo();
      return tx ? apply(tx.inverse, false) : false;
    },
    redo() {
      const tx = history.takeRedo();
      return tx ? apply(tx.ops, false) : false;
    },
    clear: () => history.clear(),
    get canUndo() {
      return history.canUndo;
    },
    get canRedo() {
      return history.canRedo;
    },
  };
}

/** Undo/redo stacks of transactions; each entry holds the ops that were applied and their inverse. */
import type { Op } from "./types";

export interface Transaction {
  ops: Op[];
  inverse: Op[];
}

export class History {
  private undoStack: Transaction[] = [];
  private redoStack: Transaction[] = [];

  constructor(private readonly limit = 500) {}

  record(tx: Transaction): void {
    this.undoStack.push(tx);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
  }

  /** The transaction to undo, moved to the redo stack. */
  takeUndo(): Transaction | undefined {
    const tx = this.undoStack.pop();
    if (tx) this.redoStack.push(tx);
    return tx;
  }

  takeRedo(): Transaction | undefined {
    const tx = this.redoStack.pop();
    if (tx) this.undoStack.push(tx);
    return tx;
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }
}

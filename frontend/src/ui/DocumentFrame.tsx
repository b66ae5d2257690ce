import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { Notice } from "./Notice";
import { onLinkClick } from "./router";
import type { Async } from "./useAsync";

/** A document page (editor or review) until its data is there: loading, or why it cannot open. */
export function DocumentLoader<T>({
  pk,
  state,
  failure,
  children,
}: {
  pk: number;
  state: Async<T>;
  /** The heading when it cannot open, e.g. "Cannot open this document". */
  failure: string;
  children: (data: T) => ComponentChildren;
}) {
  if (state.error) {
    return (
      <main class="page">
        <h1>{failure}</h1>
        <p role="alert">{state.error}</p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          {t("editor.backToProject")}
        </a>
      </main>
    );
  }
  // A reload shows "Loading…" rather than the old data so the editor starts afresh.
  if (!state.data || state.loading) return <main class="page">{t("common.loading")}</main>;
  return <>{children(state.data)}</>;
}

/** The frame of a document page: a toolbar led by the way back to the project, the body, the notice. */
export function DocumentFrame({
  className,
  label,
  pk,
  projectName,
  onLeave = onLinkClick,
  actions,
  notice,
  children,
}: {
  className: string;
  /** The toolbar's accessible name. */
  label: string;
  pk: number;
  projectName: string;
  /** Runs on every in-app link of the frame (e.g. to ask before dropping unsaved work). */
  onLeave?: (e: MouseEvent) => void;
  actions: ComponentChildren;
  notice: string;
  children: ComponentChildren;
}) {
  return (
    <main class={className}>
      <div class="toolbar" role="toolbar" aria-label={label}>
        <a href={`/projects/${pk}/`} onClick={onLeave} class="back">
          ← {projectName}
        </a>
        {actions}
      </div>
      {children}
      <Notice text={notice} />
    </main>
  );
}

import { useEffect, useMemo, useState } from "preact/hooks";
import { ActiveTime, watchActivity } from "../api/activeTime";
import { Autosave, readBackup } from "../api/autosave";
import { request } from "../api/client";
import { api } from "../api/endpoints";
import type { SaveState } from "../api/saveState";
import type {
  AnnotationStatus,
  DocumentDetail,
  Me,
  MyAnnotation,
  Project,
  Suggestions,
} from "../api/types";
import type { Editor } from "../editor";
import type { Label } from "../editor/types";
import { t } from "../i18n";
import { clip } from "../workflow/proposal";
import { ChainList } from "./ChainList";
import { CommentsPanel } from "./CommentsPanel";
import { ConflictDialog, HelpOverlay } from "./Dialogs";
import { DocumentFrame, DocumentLoader } from "./DocumentFrame";
import { DocumentLabels } from "./DocumentLabels";
import { DrawerClose, useDrawer } from "./Drawer";
import { EditorView } from "./EditorView";
import { runEditorAction } from "./editorActions";
import { FindBox } from "./FindBox";
import { FlagControl } from "./FlagControl";
import { GoldComparison } from "./GoldComparison";
import { Guidelines } from "./Guidelines";
import type { Action } from "./keys";
import { LabelPalette } from "./LabelPalette";
import { useNotice } from "./Notice";
import { openNextDocument } from "./nextDocument";
import { navigate, onLinkClick } from "./router";
import { SaveStatus } from "./SaveStatus";
import { RelationList, SpanDetails, SpanList } from "./SpanPanel";
import { SubmitDialog } from "./SubmitDialog";
import { SuggestionPanel } from "./SuggestionPanel";
import { annotationStatusText } from "./statusText";
import { useAsync } from "./useAsync";
import { useKeymap } from "./useKeymap";

interface Loaded {
  me: Me;
  project: Project;
  labels: Label[];
  doc: DocumentDetail;
  mine: MyAnnotation;
}

export function EditorPage({ pk, docId }: { pk: number; docId: number }) {
  const loaded = useAsync<Loaded>(async () => {
    const [me, project, labels, doc, mine] = await Promise.all([
      api.me(),
      api.project(pk),
      api.labels(pk),
      api.document(pk, docId),
      api.mine(pk, docId),
    ]);
    return { me, project, labels, doc, mine };
  }, [pk, docId]);
  return (
    <DocumentLoader pk={pk} state={loaded} failure={t("editor.cannotOpen")}>
      {(data) => <Workbench {...data} pk={pk} docId={docId} />}
    </DocumentLoader>
  );
}

/**
 * Re-renders the page after an editor change. The state update is batched with the
 * selection and save state the same change set, so one change costs one render.
 */
function useChangeTick(): () => void {
  const [, setTick] = useState(0);
  return () => setTick((t) => t + 1);
}

const POLL_MS = 2000;
const POLL_TRIES = 60;

function readRejected(key: string): string[] {
  try {
    const raw = typeof localStorage === "undefined" ? null : localStorage.getItem(key);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The document's suggestions, fetched after the editor opened (never holding it up) and
 * asked for again while a worker computes them; shown as ghosts with the ones this user
 * rejected before left out.
 */
function useSuggestions(editor: Editor | null, pk: number, docId: number, rejectedKey: string) {
  const [state, setState] = useState<Suggestions | null>(null);
  useEffect(() => {
    if (!editor) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (tries: number) => {
      try {
        const answer = await api.suggestions(pk, docId);
        if (stopped) return;
        setState(answer);
        if (answer.status === "pending" && tries > 0) {
          timer = setTimeout(() => void load(tries - 1), POLL_MS);
          if (!answer.spans.length) return;
        }
        editor.setSuggestions(answer, readRejected(rejectedKey));
      } catch {
        // Suggestions are a help, never a reason the document cannot be annotated.
      }
    };
    void load(POLL_TRIES);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [editor, pk, docId, rejectedKey]);
  return state;
}

function Workbench({
  project,
  labels,
  doc,
  mine,
  me,
  pk,
  docId,
}: Loaded & { pk: number; docId: number }) {
  const [editor, setEditor] = useState<Editor | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [linking, setLinking] = useState(false);
  const [notice, setNotice] = useNotice();
  const [help, setHelp] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [guidelines, setGuidelines] = useState(false);
  // On a phone the annotation panel is a drawer over the article (app.css, "Any screen").
  const drawer = useDrawer("annotation-panel");
  const [snap, setSnap] = useState(true);
  const [status, setStatus] = useState<AnnotationStatus>(mine.status);
  const [save, setSave] = useState<SaveState>({ status: "saved", version: mine.version });
  const refresh = useChangeTick();
  const storageKey = `wb:annotation:${me.id}:${pk}:${docId}`;
  const rejectedKey = `wb:rejected:${me.id}:${pk}:${docId}`;
  const [focusedGhost, setFocusedGhost] = useState<string | null>(null);
  const [ghostsShown, setGhostsShown] = useState(true);

  // The annotator's active time on this document, sent with the saves (issue 12).
  const [clock] = useState(() => new ActiveTime(undefined, document.hasFocus()));
  useEffect(() => watchActivity(clock), [clock]);
  // One saver for the page's lifetime: the editor's op callback holds on to it.
  const [saver] = useState(
    () =>
      new Autosave({
        version: mine.version,
        send: (method, body) => request(method, api.mineUrl(pk, docId), body),
        storage: typeof localStorage === "undefined" ? null : localStorage,
        storageKey,
        onState: setSave,
        activeTime: clock,
      }),
  );

  const spanLabels = useMemo(() => labels.filter((l) => l.kind === "span"), [labels]);
  const docLabels = useMemo(() => labels.filter((l) => l.kind === "document"), [labels]);
  const colorOf = useMemo(() => new Map(labels.map((l) => [l.name, l.color])), [labels]);
  const reviewer = project.my_role !== "annotator";
  const returned = status === "draft" && mine.review?.state === "returned" ? mine.review : null;
  /** A few words of one of my spans, to name it beside its comments. */
  const spanText = (id: string): string | null => {
    const s = editor?.getSpan(id);
    return s && editor ? clip(editor.textOf(s)) : null;
  };

  const options = useMemo(
    () => ({
      text: doc.text,
      labels,
      state: mine,
      allowOverlap: project.allow_overlap,
      onOps: (ops: Parameters<typeof saver.push>[0]) => saver.push(ops),
      onChange: refresh,
      onSelect: setSelectedId,
      onLinkMode: (id: string | null) => setLinking(id !== null),
      onNotice: setNotice,
      onSuggestion: (id: string | null) => {
        setFocusedGhost(id);
        refresh();
      },
      onReject: (id: string) => {
        try {
          const list = readRejected(rejectedKey);
          localStorage.setItem(rejectedKey, JSON.stringify([...list, id]));
        } catch {
          // Storage full or disabled: the rejection lasts until the page is left.
        }
      },
    }),
    [],
  );

  function onReady(ed: Editor | null): void {
    setEditor(ed);
    if (!ed) return;
    // Edits that never reached the server (closed tab, crash) are replayed when the base still matches.
    const backup = readBackup(
      typeof localStorage === "undefined" ? null : localStorage,
      storageKey,
    );
    if (backup?.ops.length) {
      if (backup.version === mine.version && ed.apply(backup.ops)) {
        setNotice(t("editor.restored"));
      } else {
        localStorage.removeItem(storageKey);
        setNotice(t("editor.backupDropped"));
      }
    }
  }

  useEffect(() => {
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (!saver.hasUnsaved) return;
      saver.writeBackup();
      void saver.flush();
      e.preventDefault();
    };
    const hidden = () => {
      if (document.visibilityState !== "hidden") return;
      saver.writeBackup();
      void saver.flush();
    };
    // The page may be gone after this: the backup of unsaved edits is written now.
    const pageHide = () => saver.writeBackup();
    window.addEventListener("beforeunload", beforeUnload);
    window.addEventListener("pagehide", pageHide);
    document.addEventListener("visibilitychange", hidden);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      window.removeEventListener("pagehide", pageHide);
      document.removeEventListener("visibilitychange", hidden);
      saver.writeBackup();
      void saver.flush();
    };
  }, [saver]);

  async function finish(next: AnnotationStatus): Promise<void> {
    saver.push([{ op: "set_status", status: next }]);
    if (!(await saver.flush())) {
      setNotice(t("editor.couldNotSave"));
      return;
    }
    setStatus(next);
    setNotice(next === "submitted" ? t("editor.submitted") : t("editor.skipped"));
    if (!(await openNextDocument(pk))) navigate(`/projects/${pk}/`);
  }

  async function reloadTheirs(): Promise<void> {
    const fresh = await api.mine(pk, docId);
    editor?.replaceState(fresh);
    saver.reset(fresh.version);
    setStatus(fresh.status);
    setNotice(t("editor.reloaded", { version: String(fresh.version) }));
  }

  async function overwriteMine(): Promise<void> {
    if (!editor) return;
    if (await saver.overwrite({ ...editor.getState(), status })) setNotice(t("editor.overwritten"));
  }

  function run(action: Action): boolean {
    const ed = editor;
    if (!ed) return false;
    if (confirming) {
      // While Submit asks: Enter (or Ctrl+Enter again) submits, Escape keeps working,
      // and no other key reaches the article behind the question.
      if (action.type === "confirm" || action.type === "submit") {
        setConfirming(false);
        void finish("submitted");
        return true;
      }
      if (action.type === "escape") setConfirming(false);
      return action.type === "escape";
    }
    switch (action.type) {
      case "save":
        void saver.flush();
        return true;
      case "submit":
        setConfirming(true);
        return true;
      case "skip":
        void finish("skipped");
        return true;
      case "next":
        void openNextDocument(pk).then((ok) => ok || setNotice(t("editor.nothingLeft")));
        return true;
      case "help":
        setHelp((h) => !h);
        return true;
      case "guidelines":
        setGuidelines((g) => !g);
        return true;
      case "toggleSnap":
        setSnap((s) => !s);
        return true;
      case "escape":
        if (!help && !guidelines && !drawer.open) break;
        drawer.close();
        setHelp(false);
        setGuidelines(false);
        return true;
    }
    return runEditorAction(ed, action, { docLabels, snap, notice: setNotice }) ?? false;
  }

  useKeymap(editor, labels, run, save.status === "conflict");
  const suggestions = useSuggestions(editor, pk, docId, rejectedKey);

  const selected = editor && selectedId ? editor.getSpan(selectedId) : undefined;
  // The side panel's parts are rebuilt only when what they show changed (the editor's
  // version counters), not on every render of the page (a save state, a notice).
  const sv = editor?.versions.spans ?? 0;
  const rv = editor?.versions.relations ?? 0;
  const cv = editor?.versions.chains ?? 0;
  const dv = editor?.versions.documentLabels ?? 0;
  const gv = editor?.versions.suggestions ?? 0;
  const spans = useMemo(() => (editor ? editor.spansInOrder() : []), [editor, sv]);
  const relations = useMemo(() => (editor ? editor.relations() : []), [editor, rv]);
  const chains = useMemo(() => (editor ? editor.chains() : []), [editor, sv, cv]);
  const documentLabels = useMemo(
    () =>
      docLabels.length > 0 &&
      editor && (
        <DocumentLabels
          labels={docLabels}
          values={editor.documentLabels()}
          onChange={(group, value) => editor.setDocumentLabel(group, value)}
        />
      ),
    [editor, docLabels, dv],
  );
  const suggestionPanel = useMemo(
    () =>
      editor && (
        <SuggestionPanel
          editor={editor}
          state={suggestions}
          focusedId={focusedGhost}
          shown={ghostsShown}
          onShow={(shown) => {
            setGhostsShown(shown);
            editor.showSuggestions(shown);
          }}
          notice={setNotice}
          labels={labels}
        />
      ),
    [editor, suggestions, focusedGhost, ghostsShown, labels, gv],
  );
  const spanDetails = useMemo(
    () =>
      editor &&
      selected && (
        <SpanDetails
          editor={editor}
          span={selected}
          labels={labels}
          linking={linking}
          notice={setNotice}
        />
      ),
    [editor, selected, labels, linking, sv, rv, cv],
  );
  const spanList = useMemo(
    () =>
      editor && (
        <SpanList
          editor={editor}
          spans={spans}
          selectedId={selectedId}
          colorOf={colorOf}
          labels={labels}
        />
      ),
    [editor, spans, selectedId, colorOf, labels, rv, cv],
  );
  const relationList = useMemo(
    () => editor && <RelationList editor={editor} relations={relations} />,
    [editor, relations, sv],
  );
  const chainList = useMemo(
    () => editor && <ChainList editor={editor} chains={chains} selectedId={selectedId} />,
    [editor, chains, selectedId],
  );
  const comments = useMemo(
    () => (
      <CommentsPanel
        pk={pk}
        docId={docId}
        annotation="mine"
        spanOwner={me.username}
        selectedSpanId={selectedId}
        spanText={spanText}
        onShowSpan={(id) => editor?.selectSpan(id, { scroll: true })}
        reviewer={reviewer}
        beforeSend={() => saver.flush()}
      />
    ),
    [pk, docId, me.username, selectedId, editor, reviewer, saver, sv],
  );

  const actions = (
    <>
      <span class={`badge badge-${status}`}>{annotationStatusText(status)}</span>
      <SaveStatus state={save} />
      <FlagControl pk={pk} docId={docId} reviewer={reviewer} onNotice={setNotice} />
      <button {...drawer.toggle}>{t("editor.panel")}</button>
      {project.my_role !== "annotator" && (
        <a href={`/projects/${pk}/documents/${docId}/review/`} onClick={onLinkClick}>
          {t("editor.reviewThis")}
        </a>
      )}
      <span class="spacer" />
      <button type="button" disabled={!editor?.canUndo} onClick={() => run({ type: "undo" })}>
        {t("editor.undo")}
        <kbd aria-hidden="true">Ctrl+Z</kbd>
      </button>
      <button type="button" disabled={!editor?.canRedo} onClick={() => run({ type: "redo" })}>
        {t("editor.redo")}
        <kbd aria-hidden="true">Ctrl+Shift+Z</kbd>
      </button>
      <button type="button" aria-pressed={guidelines} onClick={() => setGuidelines(!guidelines)}>
        {t("editor.guidelines")}
        <kbd aria-hidden="true">Alt+G</kbd>
      </button>
      <button type="button" onClick={() => setHelp(true)}>
        {t("editor.shortcuts")}
        <kbd aria-hidden="true">?</kbd>
      </button>
      <button type="button" onClick={() => run({ type: "next" })}>
        {t("editor.next")}
        <kbd aria-hidden="true">Alt+N</kbd>
      </button>
      <button type="button" onClick={() => run({ type: "skip" })}>
        {t("editor.skip")}
        <kbd aria-hidden="true">Alt+S</kbd>
      </button>
      <button type="button" class="primary" onClick={() => run({ type: "submit" })}>
        {t("editor.submit")}
        <kbd aria-hidden="true">Ctrl+Enter</kbd>
      </button>
    </>
  );

  return (
    <DocumentFrame
      className="workbench"
      label={t("editor.actions")}
      pk={pk}
      projectName={project.name}
      actions={actions}
      notice={notice}
    >
      {save.status === "rejected" && (
        <div class="banner" role="alert">
          {save.message}{" "}
          <button type="button" onClick={reloadTheirs}>
            {t("editor.reloadSaved")}
          </button>
        </div>
      )}
      {returned && (
        <div class="banner returned" role="alert">
          <strong>{t("conversation.returnedBanner", { by: returned.by ?? "?" })}</strong>{" "}
          <span class="returned-note">{returned.note || t("conversation.returnedNoNote")}</span>{" "}
          <button type="button" class="primary" onClick={() => run({ type: "submit" })}>
            {t("conversation.resubmit")}
          </button>
        </div>
      )}
      {save.status === "offline" && save.message && (
        <div class="banner banner-offline" role="status">
          {save.message}
        </div>
      )}
      <div class="panes">
        <section class="article-pane" aria-label={t("editor.article")}>
          <div class="palette-bar">
            <LabelPalette labels={spanLabels} onPick={(name) => run({ type: "label", name })} />
            <FindBox
              onFind={(query, dir) => editor?.findAndSelect(query, dir) ?? false}
              onNotFound={(query) => setNotice(t("editor.notFound", { query }))}
            />
            <label class="snap">
              <input type="checkbox" checked={snap} onChange={() => setSnap(!snap)} />
              {t("editor.snap")}
              <kbd aria-hidden="true">Shift+W</kbd>
            </label>
          </div>
          {linking && (
            <p class="link-hint" role="status">
              {t("editor.linkHint")}
            </p>
          )}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable) */}
          <section class="article-scroll" tabIndex={0} aria-label={t("editor.articleScroll")}>
            <article class="article">
              <h1 class="doc-title">{doc.title || t("table.untitled", { id: String(doc.id) })}</h1>
              <EditorView options={options} onReady={onReady} />
            </article>
          </section>
        </section>
        <aside
          {...drawer.panel}
          class={drawer.open ? "side drawer open" : "side drawer"}
          aria-label={t("editor.annotation")}
        >
          <DrawerClose drawer={drawer} />
          {documentLabels}
          {suggestionPanel}
          {spanDetails}
          {spanList}
          {relationList}
          {chainList}
          {status === "submitted" && (reviewer || project.annotators_see_gold_after_review) && (
            <GoldComparison
              pk={pk}
              docId={docId}
              spanText={spanText}
              onShowSpan={(id) => editor?.selectSpan(id, { scroll: true })}
            />
          )}
          {comments}
        </aside>
        {guidelines && (
          <aside class="guidelines-panel" aria-label={t("editor.guidelines")}>
            <h2>{t("editor.guidelines")}</h2>
            {project.guidelines ? (
              <Guidelines markdown={project.guidelines} />
            ) : (
              <p>{t("editor.noGuidelines")}</p>
            )}
          </aside>
        )}
      </div>
      {help && <HelpOverlay labels={labels} onClose={() => setHelp(false)} />}
      {confirming && editor && (
        <SubmitDialog
          spans={editor.spansInOrder().length}
          links={editor.getState().relations.length}
          onConfirm={() => {
            setConfirming(false);
            void finish("submitted");
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
      {save.status === "conflict" && (
        <ConflictDialog
          message={save.message ?? ""}
          theirVersion={save.theirVersion}
          myVersion={save.version}
          onReload={reloadTheirs}
          onOverwrite={overwriteMine}
        />
      )}
    </DocumentFrame>
  );
}

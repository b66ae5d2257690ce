import { useEffect, useMemo, useState } from "preact/hooks";
import type { Review as Verdict } from "../api/conversation";
import { api } from "../api/endpoints";
import { failedSave, type SaveState } from "../api/saveState";
import type { Project } from "../api/types";
import {
  type DocumentReview,
  type GoldAnnotation,
  type ItemStatus,
  workflowApi,
} from "../api/workflow";
import { createOffsetMap, type Editor } from "../editor";
import { canonicalName } from "../editor/chains";
import { fragmentsOf } from "../editor/fragments";
import type {
  AnnotationState,
  Chain,
  DocumentLabelValue,
  Fragment,
  Label,
  Op,
  Span,
} from "../editor/types";
import { formatNumber, t } from "../i18n";
import { documentValueName, groupName } from "../i18n/labelText";
import { ChainList } from "../ui/ChainList";
import { CommentsPanel } from "../ui/CommentsPanel";
import { DocumentFrame, DocumentLoader } from "../ui/DocumentFrame";
import { DocumentLabels } from "../ui/DocumentLabels";
import { DrawerClose, useDrawer } from "../ui/Drawer";
import { EditorView } from "../ui/EditorView";
import { runEditorAction } from "../ui/editorActions";
import type { Action } from "../ui/keys";
import { LabelPalette } from "../ui/LabelPalette";
import { useNotice } from "../ui/Notice";
import { onLinkClick } from "../ui/router";
import { SaveStatus } from "../ui/SaveStatus";
import { SpanDetails } from "../ui/SpanPanel";
import { annotationStatusText } from "../ui/statusText";
import { useAsync } from "../ui/useAsync";
import { useKeymap } from "../ui/useKeymap";
import { CheckToggle } from "./CheckToggle";
import { ProposalPanel } from "./ProposalPanel";
import {
  type AcceptContext,
  acceptOps,
  clip,
  formatFigure,
  goldSpanIds,
  itemId,
  itemsWithStatus,
  keyOf,
  type ReviewItem,
  rejectOps,
  spanStatuses,
} from "./proposal";
import { ReadOnlyVersion, StatusTag } from "./ReadOnlyVersion";
import { VerdictControls } from "./VerdictControls";
import "./workflow.css";

interface Loaded {
  project: Project;
  labels: Label[];
  review: DocumentReview;
}

export function ReviewPage({ pk, docId }: { pk: number; docId: number }) {
  const [reloads, setReloads] = useState(0);
  const loaded = useAsync<Loaded>(async () => {
    const [project, labels, review] = await Promise.all([
      api.project(pk),
      api.labels(pk),
      workflowApi.review(pk, docId),
    ]);
    return { project, labels, review };
  }, [pk, docId, reloads]);
  return (
    <DocumentLoader pk={pk} state={loaded} failure={t("review.cannotOpen")}>
      {(data) => (
        <Review
          key={reloads}
          {...data}
          pk={pk}
          docId={docId}
          onReload={() => setReloads((n) => n + 1)}
        />
      )}
    </DocumentLoader>
  );
}

const EMPTY: AnnotationState = { spans: [], relations: [], document_labels: {} };

function Review({
  project,
  labels,
  review,
  pk,
  docId,
  onReload,
}: Loaded & { pk: number; docId: number; onReload: () => void }) {
  const [editor, setEditor] = useState<Editor | null>(null);
  const [, setTick] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [linking, setLinking] = useState(false);
  const [notice, setNotice] = useNotice();
  const [save, setSave] = useState<SaveState>({
    status: "saved",
    version: review.gold?.version ?? 0,
  });
  const [rejected, setRejected] = useState<Set<string>>(new Set());
  // Verdicts given on this page (return, accept), over what the review was loaded with.
  const [verdicts, setVerdicts] = useState<Record<string, { status: string; review: Verdict }>>({});

  const colors = useMemo(() => new Map(labels.map((l) => [l.name, l.color])), [labels]);
  const colorOf = (label: string) => colors.get(label) ?? "#888888";
  const text = review.document.text;
  const offsets = useMemo(() => createOffsetMap(text), [text]);
  /** The text of a span (code point offsets; an interrupted one's fragments), clipped, in quotes. */
  const quote = (s: { start: number; end: number; fragments?: Fragment[] | null } | undefined) =>
    s
      ? `“${clip(
          fragmentsOf(s)
            .map(([a, b]) => text.slice(offsets.toUtf16(a), offsets.toUtf16(b)))
            .join(" … "),
        )}”`
      : t("review.missingSpan");
  const statuses = useMemo(() => spanStatuses(review), [review]);
  const spanLabels = labels.filter((l) => l.kind === "span");
  const docLabels = labels.filter((l) => l.kind === "document");
  const multipleGroups = new Set(
    docLabels.filter((l) => l.multiple).map((l) => l.group || "document"),
  );

  const options = useMemo(
    () => ({
      text: review.document.text,
      labels,
      state: review.gold ?? EMPTY,
      allowOverlap: project.allow_overlap,
      onOps: () => setSave((s) => (s.status === "conflict" ? s : { ...s, status: "pending" })),
      onChange: () => setTick((t) => t + 1),
      onSelect: setSelectedId,
      onLinkMode: (id: string | null) => setLinking(id !== null),
      onNotice: setNotice,
    }),
    [],
  );

  const gold = editor ? editor.getState() : (review.gold ?? EMPTY);
  const ctx: AcceptContext = { review, gold, multipleGroups };

  function apply(ops: Op[], what: string): void {
    if (!editor) return;
    if (!ops.length) {
      setNotice(t("review.nothingToChange", { what }));
      return;
    }
    if (editor.apply(ops)) setNotice(what);
  }

  function accept(items: ReviewItem[], what: string): void {
    setRejected((r) => {
      const next = new Set(r);
      for (const i of items) next.delete(itemId(i));
      return next;
    });
    apply(acceptOps(items, ctx), what);
  }

  function reject(item: ReviewItem): void {
    setRejected((r) => new Set(r).add(itemId(item)));
    const ops = rejectOps(item, ctx);
    if (ops.length) editor?.apply(ops);
    setNotice(t("review.rejected"));
  }

  async function saveGold(overwriteVersion?: number): Promise<void> {
    if (!editor) return;
    const version = overwriteVersion ?? save.version;
    setSave({ status: "saving", version });
    try {
      const saved: GoldAnnotation = await workflowApi.saveGold(pk, docId, {
        version,
        ...editor.getState(),
      });
      setSave({ status: "saved", version: saved.version });
      setNotice(t("review.goldSaved", { version: String(saved.version) }));
    } catch (err) {
      setSave({ version: save.version, ...failedSave(err, { retries: false }) });
    }
  }

  /** In-app links ask before dropping unsaved gold (closing the tab asks through beforeunload). */
  function leave(e: MouseEvent): void {
    if (save.status !== "saved" && !window.confirm(t("review.leaveUnsaved"))) {
      e.preventDefault();
      return;
    }
    onLinkClick(e);
  }

  function show(entry: ReviewItem): void {
    if (!editor || (entry.kind !== "span" && entry.kind !== "chain")) return;
    const key = entry.kind === "span" ? keyOf(entry.item) : keyOf(entry.item.mentions[0]);
    const id = goldSpanIds(editor.getState()).get(key);
    if (id) editor.selectSpan(id, { scroll: true });
  }

  useEffect(() => {
    const unsaved = save.status !== "saved";
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (unsaved) e.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => window.removeEventListener("beforeunload", beforeUnload);
  }, [save.status]);

  function run(action: Action): boolean {
    if (!editor) return false;
    if (action.type === "save") {
      if (save.status !== "saving" && save.status !== "conflict") void saveGold();
      return true;
    }
    return runEditorAction(editor, action, { docLabels, snap: true, notice: setNotice }) ?? false;
  }

  useKeymap(editor, labels, run);

  const figures = review.agreement.document;
  const goldSpanText = (id: string): string | null => {
    const s = editor?.getSpan(id);
    return s ? clip(text.slice(offsets.toUtf16(s.start), offsets.toUtf16(s.end))) : null;
  };
  const selected = editor && selectedId ? editor.getSpan(selectedId) : undefined;
  const agreedCount = itemsWithStatus(review, "agreed").length;
  const goldName = t("review.goldScroll");
  // On a phone the gold's panel and the merge proposal are drawers (app.css, "Any screen").
  const goldDrawer = useDrawer("gold-panel");
  const proposalDrawer = useDrawer("merge-proposal");
  const versionName = (name: string) => t("review.versionScroll", { name });

  const actions = (
    <>
      <strong>
        {t("review.heading", {
          title: review.document.title || t("table.untitled", { id: String(review.document.id) }),
        })}
      </strong>
      <span class="muted">
        {t("review.submittedOf", {
          count: review.annotations.length,
          k: formatNumber(review.submitted),
        })}
        {review.anonymized ? ` · ${t("review.namesHidden")}` : ""}
      </span>
      <button {...goldDrawer.toggle}>{t("review.goldPanel")}</button>
      <button {...proposalDrawer.toggle}>{t("review.proposal")}</button>
      <span class="spacer" />
      <a href={`/projects/${pk}/agreement/`} onClick={leave}>
        {t("review.projectAgreement")}
      </a>
      <a href={`/projects/${pk}/documents/${docId}/`} onClick={leave}>
        {t("review.myAnnotation")}
      </a>
      <a href={`/projects/${pk}/documents/${docId}/history/`} onClick={leave}>
        {t("history.linkDocument")}
      </a>
    </>
  );

  return (
    <DocumentFrame
      className="review-page"
      label={t("review.actions")}
      pk={pk}
      projectName={project.name}
      onLeave={leave}
      actions={actions}
      notice={notice}
    >
      <section class="rv-figures" aria-label={t("review.documentAgreement")}>
        <h2>{t("review.documentAgreement")}</h2>
        {figures ? (
          <dl>
            <Fig term={t("review.spanF1Exact")} value={figures.span_f1_exact} />
            <Fig term={t("review.spanF1Overlap")} value={figures.span_f1_overlap} />
            <Fig
              term={t("review.unitizingAlpha")}
              value={review.agreement.spans.overall.unitizing_alpha}
            />
            <Fig term={t("review.linkF1")} value={figures.relation_f1} />
            <Fig
              term={t("review.docLabelsAlpha")}
              value={review.agreement.document_labels.overall.krippendorff_alpha}
            />
          </dl>
        ) : (
          <p class="muted">{t("review.noFigure")}</p>
        )}
      </section>
      {project.my_role === "admin" && (
        <CheckToggle
          pk={pk}
          docId={docId}
          initial={review.document.is_check}
          hasGold={review.gold !== null}
        />
      )}

      <div class="rv-main">
        <section class="rv-gold" aria-label={t("review.gold")}>
          <div class="palette-bar">
            <h2>{t("review.gold")}</h2>
            <SaveStatus
              state={save}
              extra={` · ${t("review.version", { version: String(save.version) })}`}
            />
            <span class="spacer" />
            <button type="button" disabled={!editor?.canUndo} onClick={() => editor?.undo()}>
              {t("editor.undo")}
            </button>
            <button type="button" disabled={!editor?.canRedo} onClick={() => editor?.redo()}>
              {t("editor.redo")}
            </button>
            <button
              type="button"
              class="primary"
              disabled={save.status === "saving" || save.status === "conflict"}
              onClick={() => saveGold()}
            >
              {t("review.saveGold")}
              <kbd aria-hidden="true">Ctrl+S</kbd>
            </button>
          </div>
          {save.status === "conflict" && (
            <div class="banner" role="alert">
              {save.theirVersion !== undefined
                ? t("review.conflictVersions", {
                    theirs: String(save.theirVersion),
                    mine: String(save.version),
                  })
                : t("review.conflict")}{" "}
              <button type="button" onClick={onReload}>
                {t("review.reloadTheirs")}
              </button>{" "}
              <button
                type="button"
                class="danger"
                onClick={() => saveGold(save.theirVersion)}
                disabled={save.theirVersion === undefined}
              >
                {t("conflict.overwrite")}
              </button>
            </div>
          )}
          {save.status === "rejected" && (
            <div class="banner" role="alert">
              {t("review.notSaved", { message: save.message ?? "" })}
            </div>
          )}
          <div class="palette-bar">
            <LabelPalette labels={spanLabels} onPick={(name) => run({ type: "label", name })} />
          </div>
          {linking && (
            <p class="link-hint" role="status">
              {t("review.linkHint")}
            </p>
          )}
          <div class="rv-gold-body">
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable) */}
            <section class="article-scroll rv-gold-scroll" tabIndex={0} aria-label={goldName}>
              <article class="article">
                <EditorView options={options} onReady={setEditor} />
              </article>
            </section>
            <aside
              {...goldDrawer.panel}
              class={goldDrawer.open ? "rv-gold-side drawer open" : "rv-gold-side drawer"}
              aria-label={t("review.goldPanel")}
            >
              <DrawerClose drawer={goldDrawer} />
              {docLabels.length > 0 && editor && (
                <DocumentLabels
                  labels={docLabels}
                  values={editor.documentLabels()}
                  onChange={(group: string, value: DocumentLabelValue) =>
                    editor.setDocumentLabel(group, value)
                  }
                />
              )}
              {editor && selected && (
                <>
                  <SpanDetails
                    editor={editor}
                    span={selected}
                    labels={labels}
                    linking={linking}
                    notice={setNotice}
                  />
                  <button
                    type="button"
                    class="danger"
                    onClick={() => editor.deleteSpan(selected.id)}
                  >
                    {t("spanPanel.delete")}
                  </button>
                </>
              )}
              {editor && (
                <ChainList editor={editor} chains={editor.chains()} selectedId={selectedId} />
              )}
              <p class="hint">
                {t("review.goldHint", {
                  spans: formatNumber(gold.spans.length),
                  links: formatNumber(gold.relations.length),
                })}
              </p>
            </aside>
          </div>
        </section>

        <ProposalPanel
          drawer={proposalDrawer}
          review={review}
          gold={gold}
          rejected={rejected}
          agreedCount={agreedCount}
          colorOf={colorOf}
          quote={quote}
          onAccept={accept}
          onReject={reject}
          onShow={show}
          labels={labels}
        />
      </div>

      <section class="rv-versions" aria-label={t("review.versions")}>
        <h2>{t("review.versions")}</h2>
        {review.anonymized && <p class="muted">{t("review.namesHiddenText")}</p>}
        {review.annotations.length === 0 && <p>{t("review.noVersions")}</p>}
        <div class="rv-grid">
          {review.annotations.map((v) => (
            <article
              class="rv-version"
              key={v.annotator}
              aria-label={t("review.versionOf", { name: v.annotator })}
            >
              <h3>
                {v.annotator}{" "}
                <span class={`badge badge-${verdicts[v.annotator]?.status ?? v.status}`}>
                  {annotationStatusText(verdicts[v.annotator]?.status ?? v.status)}
                </span>
              </h3>
              <VerdictControls
                pk={pk}
                docId={docId}
                annotator={v.annotator}
                status={verdicts[v.annotator]?.status ?? v.status}
                review={verdicts[v.annotator]?.review ?? v.review ?? null}
                onDone={(status, verdict) =>
                  setVerdicts((all) => ({ ...all, [v.annotator]: { status, review: verdict } }))
                }
                onNotice={setNotice}
              />
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable) */}
              <section class="rv-scroll" tabIndex={0} aria-label={versionName(v.annotator)}>
                <ReadOnlyVersion
                  text={text}
                  state={v}
                  colors={colors}
                  statuses={v.status === "submitted" ? statuses : null}
                />
              </section>
              <VersionExtras review={review} version={v} quote={quote} labels={labels} />
            </article>
          ))}
        </div>
      </section>
      <CommentsPanel
        pk={pk}
        docId={docId}
        annotation="gold"
        spanOwner="gold"
        selectedSpanId={selectedId}
        spanText={goldSpanText}
        onShowSpan={(id) => editor?.selectSpan(id, { scroll: true })}
        reviewer
        beforeSend={async () => {
          if (save.status === "saved") return true;
          setNotice(t("conversation.saveGoldFirst"));
          return false;
        }}
      />
    </DocumentFrame>
  );
}

function Fig({ term, value }: { term: string; value: number | null | undefined }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{formatFigure(value)}</dd>
    </div>
  );
}

/** An annotator's links and document labels, each with its proposal status. */
function VersionExtras({
  review,
  version,
  quote,
  labels,
}: {
  review: DocumentReview;
  version: DocumentReview["annotations"][number];
  quote: (s: Span | undefined) => string;
  labels: Label[];
}) {
  const byId = new Map(version.spans.map((s) => [s.id, s]));
  const voting = version.status === "submitted";
  const relStatus = (from?: Span, to?: Span, label?: string): ItemStatus | null => {
    if (!voting || !from || !to) return null;
    const row = review.proposal.relations.find(
      (r) => keyOf(r.from) === keyOf(from) && keyOf(r.to) === keyOf(to) && r.label === label,
    );
    return row?.status ?? null;
  };
  const chainStatus = (chain: Chain): ItemStatus | null => {
    if (!voting) return null;
    const keys = version.spans
      .filter((s) => s.chain === chain.id)
      .map(keyOf)
      .sort()
      .join("|");
    const row = (review.proposal.chains ?? []).find(
      (c) => c.mentions.map(keyOf).sort().join("|") === keys,
    );
    return row?.status ?? null;
  };
  const chains = (version.chains ?? []).map((chain) => {
    const mentions = version.spans
      .filter((s) => s.chain === chain.id)
      .sort((a, b) => a.start - b.start);
    const name = chain.canonical ?? canonicalName(chain, mentions, (s) => quote(s).slice(1, -1));
    return { chain, mentions, name };
  });
  const labelStatus = (group: string, value: string): ItemStatus | null => {
    if (!voting) return null;
    const row = review.proposal.document_labels.find((r) => r.group === group && r.value === value);
    return row?.status ?? null;
  };
  const chosen = Object.entries(version.document_labels).flatMap(([group, value]) =>
    value === null ? [] : (Array.isArray(value) ? value : [value]).map((v) => [group, v] as const),
  );
  return (
    <div class="rv-extras">
      <h4>{t("review.links")}</h4>
      {version.relations.length === 0 && <p class="muted">{t("review.none")}</p>}
      <ul>
        {version.relations.map((r) => {
          const from = byId.get(r.from);
          const to = byId.get(r.to);
          return (
            <li key={r.id} class="rv-link">
              <span class="rv-kind">↗ {t("review.kindLink")}</span> {quote(from)}{" "}
              <strong>{r.label}</strong> → {quote(to)}{" "}
              <StatusTag status={relStatus(from, to, r.label)} />
            </li>
          );
        })}
      </ul>
      <h4>{t("chains.title")}</h4>
      {chains.length === 0 && <p class="muted">{t("review.noChains")}</p>}
      <ul>
        {chains.map(({ chain, mentions, name }) => (
          <li key={chain.id} class="rv-chain">
            <span class="rv-kind">⛓ {t("review.chain")}</span> <strong>{name}</strong>:{" "}
            {mentions.map((m) => quote(m)).join(" · ")} <StatusTag status={chainStatus(chain)} />
          </li>
        ))}
      </ul>
      <h4>{t("review.documentLabels")}</h4>
      {chosen.length === 0 && <p class="muted">{t("review.none")}</p>}
      <ul>
        {chosen.map(([group, value]) => (
          <li key={`${group}=${value}`} class="rv-doclabel">
            <span class="rv-kind">▣ {t("review.kindDocument")}</span> {groupName(group, labels)}:{" "}
            <strong>{documentValueName(group, value, labels)}</strong>{" "}
            <StatusTag status={labelStatus(group, value)} />
          </li>
        ))}
      </ul>
    </div>
  );
}

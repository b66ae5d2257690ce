/**
 * The comments beside the text: threads about the document or one of my spans, replies,
 * edit and delete my own, resolve. A thread about a span jumps to it; selecting a span in
 * the text brings its threads into view. Comment text is always rendered as text.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type Comment, conversationApi, type Thread, threadsOf } from "../api/conversation";
import { ApiError } from "../api/errors";
import { formatDate, t } from "../i18n";

interface Props {
  pk: number;
  docId: number;
  /** Whose annotation new span comments are about ("mine" in the editor, "gold"). */
  annotation: string;
  /** Whose spans are in the text shown (a username, or "gold"): only their span comments
   * jump to a span. */
  spanOwner: string;
  /** The span selected in the text, if any. */
  selectedSpanId: string | null;
  /** A few words of a span's text, to name it. */
  spanText: (spanId: string) => string | null;
  onShowSpan: (spanId: string) => void;
  /** Reviewers and admins resolve any thread. */
  reviewer: boolean;
  /** Runs before a span comment is sent (the span must be saved first); false stops it. */
  beforeSend?: () => Promise<boolean>;
  onChange?: () => void;
}

function problem(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

export function CommentsPanel(props: Props) {
  const { pk, docId, selectedSpanId } = props;
  const [comments, setComments] = useState<Comment[] | null>(null);
  const [error, setError] = useState("");
  const list = useRef<HTMLDivElement>(null);

  async function reload(): Promise<void> {
    try {
      setComments(await conversationApi.comments(pk, docId));
      setError("");
    } catch (err) {
      setError(problem(err));
    }
  }

  useEffect(() => {
    void reload();
  }, [pk, docId]);

  // A span selected in the text brings its first thread into view.
  useEffect(() => {
    if (!selectedSpanId || !list.current) return;
    const first = list.current.querySelector<HTMLElement>(".comment-thread.current");
    first?.scrollIntoView?.({ block: "nearest" });
  }, [selectedSpanId, comments]);

  async function act(run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      await reload();
      props.onChange?.();
      return true;
    } catch (err) {
      setError(problem(err));
      return false;
    }
  }

  const threads = comments ? threadsOf(comments) : [];
  const open = threads.filter((th) => !th.first.resolved).length;
  return (
    <section class="comments" aria-label={t("conversation.comments")}>
      <h2>
        {t("conversation.comments")}{" "}
        <span class="muted">{t("conversation.openThreads", { count: open })}</span>
      </h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {comments === null && !error && <p>{t("common.loading")}</p>}
      <div class="comment-list" ref={list}>
        {comments && threads.length === 0 && <p class="muted">{t("conversation.none")}</p>}
        {threads.map((thread) => (
          <ThreadView
            key={thread.first.id}
            thread={thread}
            current={
              !!selectedSpanId &&
              thread.first.span_id === selectedSpanId &&
              thread.first.annotation === props.spanOwner
            }
            {...props}
            act={act}
          />
        ))}
      </div>
      <NewCommentForm {...props} act={act} />
    </section>
  );
}

type Act = (run: () => Promise<unknown>) => Promise<boolean>;

function ThreadView({
  thread,
  current,
  pk,
  docId,
  spanText,
  spanOwner,
  onShowSpan,
  reviewer,
  act,
}: Props & { thread: Thread; current: boolean; act: Act }) {
  const [replying, setReplying] = useState(false);
  const { first } = thread;
  const span = first.span_id && first.annotation === spanOwner ? first.span_id : null;
  const about = span
    ? t("conversation.aboutSpan", { text: spanText(span) ?? t("conversation.spanGone") })
    : first.annotation === "gold"
      ? t("conversation.aboutGold")
      : first.annotation
        ? t("conversation.aboutAnnotation", { name: first.annotation })
        : t("conversation.aboutDocument");
  return (
    <article
      class={`comment-thread${current ? " current" : ""}${first.resolved ? " resolved" : ""}`}
      data-span-id={span ?? undefined}
      data-comment-thread={first.id}
      aria-label={t("conversation.thread", { author: first.author ?? "?" })}
    >
      <p class="comment-about">
        {span ? (
          <button type="button" class="link-button" onClick={() => onShowSpan(span)}>
            {about}
          </button>
        ) : (
          about
        )}
        {first.resolved && <span class="badge">{t("conversation.resolved")}</span>}
      </p>
      <CommentView comment={first} pk={pk} docId={docId} act={act} />
      {thread.replies.map((reply) => (
        <CommentView key={reply.id} comment={reply} pk={pk} docId={docId} act={act} reply />
      ))}
      <div class="row">
        <button type="button" class="link-button" onClick={() => setReplying(!replying)}>
          {t("conversation.reply")}
        </button>
        {(first.mine || reviewer) && (
          <button
            type="button"
            class="link-button"
            onClick={() =>
              act(() =>
                conversationApi.editComment(pk, docId, first.id, { resolved: !first.resolved }),
              )
            }
          >
            {first.resolved ? t("conversation.reopen") : t("conversation.resolve")}
          </button>
        )}
      </div>
      {replying && (
        <TextForm
          label={t("conversation.replyLabel")}
          submit={t("conversation.sendReply")}
          onSubmit={(text) =>
            act(() => conversationApi.addComment(pk, docId, { text, reply_to: first.id })).then(
              (ok) => {
                if (ok) setReplying(false);
                return ok;
              },
            )
          }
        />
      )}
    </article>
  );
}

function CommentView({
  comment,
  pk,
  docId,
  act,
  reply = false,
}: {
  comment: Comment;
  pk: number;
  docId: number;
  act: Act;
  reply?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  if (comment.deleted) return <p class="comment deleted muted">{t("conversation.deleted")}</p>;
  return (
    <div class={`comment${reply ? " reply" : ""}`} data-comment-id={comment.id}>
      <p class="comment-meta">
        <strong>{comment.author ?? "?"}</strong>{" "}
        <span class="muted">
          {formatDate(comment.created_at)}
          {comment.edited_at ? ` · ${t("conversation.edited")}` : ""}
        </span>
      </p>
      {editing ? (
        <TextForm
          label={t("conversation.editLabel")}
          submit={t("conversation.saveEdit")}
          initial={comment.text}
          onSubmit={(text) =>
            act(() => conversationApi.editComment(pk, docId, comment.id, { text })).then((ok) => {
              if (ok) setEditing(false);
              return ok;
            })
          }
        />
      ) : (
        <p class="comment-text">{comment.text}</p>
      )}
      {comment.mine && !editing && (
        <div class="row">
          <button type="button" class="link-button" onClick={() => setEditing(true)}>
            {t("conversation.edit")}
          </button>
          <button
            type="button"
            class="link-button"
            onClick={() => {
              if (window.confirm(t("conversation.confirmDelete")))
                void act(() => conversationApi.deleteComment(pk, docId, comment.id));
            }}
          >
            {t("conversation.delete")}
          </button>
        </div>
      )}
    </div>
  );
}

function NewCommentForm({
  pk,
  docId,
  annotation,
  selectedSpanId,
  spanText,
  beforeSend,
  act,
}: Props & { act: Act }) {
  const [onSpan, setOnSpan] = useState(true);
  const spanId = onSpan ? selectedSpanId : null;
  const spanLabel = selectedSpanId ? spanText(selectedSpanId) : null;
  return (
    <div class="comment-new">
      {selectedSpanId && (
        <label class="check">
          <input type="checkbox" checked={onSpan} onChange={() => setOnSpan(!onSpan)} />
          {t("conversation.onSelectedSpan", { text: spanLabel ?? "" })}
        </label>
      )}
      <TextForm
        label={t("conversation.newLabel")}
        submit={t("conversation.send")}
        clearOnSuccess
        onSubmit={async (text) => {
          if (spanId && beforeSend && !(await beforeSend())) return false;
          return act(() =>
            conversationApi.addComment(pk, docId, {
              text,
              annotation: spanId ? annotation : null,
              span_id: spanId,
            }),
          );
        }}
      />
    </div>
  );
}

function TextForm({
  label,
  submit,
  initial = "",
  clearOnSuccess = false,
  onSubmit,
}: {
  label: string;
  submit: string;
  initial?: string;
  clearOnSuccess?: boolean;
  onSubmit: (text: string) => Promise<boolean>;
}) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="comment-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim() || busy) return;
        setBusy(true);
        const ok = await onSubmit(text);
        setBusy(false);
        if (ok && clearOnSuccess) setText("");
      }}
    >
      <label>
        {label}
        <textarea
          rows={2}
          value={text}
          maxLength={5000}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <button type="submit" disabled={busy || !text.trim()}>
        {submit}
      </button>
    </form>
  );
}

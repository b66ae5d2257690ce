/** The header's notices: a badge with the unread count and, when opened, the list (what is
 * shown is marked read). */
import { useEffect, useState } from "preact/hooks";
import { conversationApi, type Notice } from "../api/conversation";
import { formatDate, t } from "../i18n";
import { reasonText } from "./FlagControl";
import { onLinkClick } from "./router";

const POLL_MS = 60_000;

function noticeText(n: Notice): string {
  const who = n.actor ?? t("conversation.someone");
  switch (n.kind) {
    case "reply":
      return t("conversation.notice.reply", { who, text: n.text });
    case "comment":
      return t("conversation.notice.comment", { who, text: n.text });
    case "returned":
      return t("conversation.notice.returned", { who, text: n.text });
    default:
      return t("conversation.notice.flag", { who, reason: reasonText(n.text) });
  }
}

function noticeHref(n: Notice): string {
  const base = `/projects/${n.project}/documents/${n.document}/`;
  return n.kind === "flag" ? `${base}review/` : base;
}

export function NoticesMenu() {
  const [unread, setUnread] = useState(0);
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [open, setOpen] = useState(false);

  async function load(): Promise<Notice[]> {
    const page = await conversationApi.notices();
    setUnread(page.unread);
    setNotices(page.results);
    return page.results;
  }

  useEffect(() => {
    void load().catch(() => undefined);
    const timer = setInterval(() => void load().catch(() => undefined), POLL_MS);
    return () => clearInterval(timer);
  }, []);

  async function toggle(): Promise<void> {
    if (open) {
      setOpen(false);
      return;
    }
    setOpen(true);
    const shown = await load().catch(() => [] as Notice[]);
    const ids = shown.filter((n) => !n.read).map((n) => n.id);
    if (ids.length) {
      const answer = await conversationApi.markRead(ids).catch(() => null);
      if (answer) setUnread(answer.unread);
    }
  }

  return (
    <div class="notices">
      <button
        type="button"
        class="link-button notices-button"
        aria-expanded={open}
        aria-label={t("conversation.noticesLabel", { count: unread })}
        onClick={toggle}
      >
        {t("conversation.notices")}
        {unread > 0 && <span class="notices-badge">{unread}</span>}
      </button>
      {open && (
        <section class="notices-list" aria-label={t("conversation.notices")}>
          {notices && notices.length === 0 && <p class="muted">{t("conversation.noNotices")}</p>}
          <ul>
            {(notices ?? []).map((n) => (
              <li key={n.id} class={n.read ? "" : "unread"}>
                <a
                  href={noticeHref(n)}
                  onClick={(e) => {
                    setOpen(false);
                    onLinkClick(e);
                  }}
                >
                  {n.document_title}
                </a>{" "}
                <span class="muted">
                  {n.project_name} · {formatDate(n.created_at)}
                </span>
                <p>{noticeText(n)}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

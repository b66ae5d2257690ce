import { useEffect, useState } from "preact/hooks";

export type Route =
  | { name: "projects" }
  | { name: "account" }
  | { name: "trash" }
  | { name: "project"; pk: number }
  | { name: "document"; pk: number; docId: number }
  | { name: "review"; pk: number; docId: number }
  | { name: "agreement"; pk: number }
  | { name: "exports"; pk: number }
  | { name: "settings"; pk: number }
  | { name: "dashboard"; pk: number }
  | { name: "suggestions"; pk: number }
  | { name: "quality"; pk: number }
  | { name: "documents"; pk: number }
  | { name: "people"; pk: number }
  | { name: "labels"; pk: number }
  | { name: "documentHistory"; pk: number; docId: number }
  | { name: "history"; pk: number; annotator: string }
  | { name: "other"; path: string };

type PageName =
  | "agreement"
  | "exports"
  | "settings"
  | "dashboard"
  | "suggestions"
  | "quality"
  | "people"
  | "labels"
  | "documents";

export function parseRoute(path: string, search = ""): Route {
  const query = new URLSearchParams(search);
  if (path === "/" || path === "") return { name: "projects" };
  if (/^\/account\/?$/.test(path)) return { name: "account" };
  if (/^\/trash\/?$/.test(path)) return { name: "trash" };
  let m = /^\/projects\/(\d+)\/documents\/(\d+)\/?$/.exec(path);
  if (m) return { name: "document", pk: Number(m[1]), docId: Number(m[2]) };
  m = /^\/projects\/(\d+)\/?$/.exec(path);
  if (m) return { name: "project", pk: Number(m[1]) };
  m = /^\/projects\/(\d+)\/documents\/(\d+)\/review\/?$/.exec(path);
  if (m) return { name: "review", pk: Number(m[1]), docId: Number(m[2]) };
  m = /^\/projects\/(\d+)\/documents\/(\d+)\/history\/?$/.exec(path);
  if (m) return { name: "documentHistory", pk: Number(m[1]), docId: Number(m[2]) };
  m = /^\/projects\/(\d+)\/history\/?$/.exec(path);
  if (m) return { name: "history", pk: Number(m[1]), annotator: query.get("annotator") ?? "" };
  m =
    /^\/projects\/(\d+)\/(agreement|exports|settings|dashboard|suggestions|quality|people|labels|documents)\/?$/.exec(
      path,
    );
  if (m) return { name: m[2] as PageName, pk: Number(m[1]) };
  return { name: "other", path };
}

export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname, location.search));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return route;
}

/** Client-side navigation for plain left clicks; modified clicks open tabs as usual. */
export function onLinkClick(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute("href") ?? "/");
}

import DOMPurify from "dompurify";
import { marked } from "marked";
import { useEffect, useRef } from "preact/hooks";

/** Project guidelines as Markdown, sanitised and inserted as DOM nodes (no innerHTML). */
export function Guidelines({ markdown }: { markdown: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const html = marked.parse(markdown, { async: false, gfm: true }) as string;
    const fragment = DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true });
    ref.current?.replaceChildren(fragment);
  }, [markdown]);
  return <div class="markdown" ref={ref} />;
}

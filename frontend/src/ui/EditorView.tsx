import { useEffect, useRef } from "preact/hooks";
import { createEditor, type Editor, type EditorOptions } from "../editor";

/** The thin wrapper: mounts the framework-free editor once and hands it out. */
export function EditorView({
  options,
  onReady,
}: {
  options: Omit<EditorOptions, "scrollRoot">;
  onReady: (editor: Editor | null) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const editor = createEditor(el, { ...options, scrollRoot: el.closest(".article-scroll") });
    onReady(editor);
    return () => {
      onReady(null);
      editor.destroy();
    };
  }, []);
  return <div ref={host} class="editor-host" />;
}

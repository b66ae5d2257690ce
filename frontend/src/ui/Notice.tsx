import { useEffect, useState } from "preact/hooks";

/** A passing message for the person (why an action did nothing, what just happened). */
export function useNotice(): [string, (message: string) => void] {
  const [notice, setNotice] = useState("");
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(""), 5000);
    return () => clearTimeout(t);
  }, [notice]);
  return [notice, setNotice];
}

export function Notice({ text }: { text: string }) {
  return (
    <div class="toast" role="status" aria-live="polite">
      {text}
    </div>
  );
}

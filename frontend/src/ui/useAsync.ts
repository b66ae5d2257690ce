import { useEffect, useState } from "preact/hooks";

export interface Async<T> {
  data: T | null;
  error: string | null;
  /** What was thrown (an `ApiError` says its status), for pages that explain it. */
  failure?: unknown;
  loading: boolean;
}

/** Loads once per dependency change; ignores answers that arrive after a newer request. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<Async<T>>({ data: null, error: null, loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: unknown) =>
        live &&
        setState({
          data: null,
          error: String((err as Error)?.message ?? err),
          failure: err,
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

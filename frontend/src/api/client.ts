/**
 * JSON (or a multipart form) over fetch with the session cookie and Django's CSRF
 * header on unsafe requests. A failure is always thrown as an `ApiError`.
 */
import { ApiError } from "./errors";

export function csrfToken(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
  if (meta) return meta;
  const match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : "";
}

export interface ApiResponse<T> {
  status: number;
  data: T;
}

/** A FormData body is sent as multipart (the browser sets the boundary); anything else as JSON. */
export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) headers["X-CSRFToken"] = csrfToken();
  const payload = body === undefined || form ? body : JSON.stringify(body);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: payload as BodyInit | undefined,
      // Lets a save started while the tab closes finish; browsers cap such bodies at 64 KiB
      // (20,000 UTF-16 units stay under it even at 3 bytes each).
      keepalive: method !== "GET" && typeof payload === "string" && payload.length < 20_000,
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = res.status === 204 ? "" : await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not ours (e.g. a proxy's HTML error page): the error is named by its status.
    data = null;
  }
  if (!res.ok) {
    const error = new ApiError(res.status, data);
    if (error.loggedOut)
      window.location.assign(`/login/?next=${encodeURIComponent(window.location.pathname)}`);
    throw error;
  }
  return { status: res.status, data: data as T };
}

export const get = <T>(url: string) => request<T>("GET", url).then((r) => r.data);

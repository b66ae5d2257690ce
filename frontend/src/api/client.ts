/** JSON over fetch with the session cookie and Django's CSRF header on unsafe requests. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(describe(status, body));
  }
}

function describe(status: number, body: unknown): string {
  if (body && typeof body === "object" && "detail" in body)
    return String((body as { detail: unknown }).detail);
  if (status === 0) return "The server could not be reached.";
  return `The server answered ${status}.`;
}

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

export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) headers["X-CSRFToken"] = csrfToken();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: payload,
      // Lets a save started while the tab closes finish; browsers cap such bodies at 64 KiB
      // (20,000 UTF-16 units stay under it even at 3 bytes each).
      keepalive: method !== "GET" && (payload?.length ?? 0) < 20_000,
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = res.status === 204 ? "" : await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text.slice(0, 200) };
  }
  if (res.status === 401 || (res.status === 403 && isLoggedOut(data))) {
    window.location.assign(`/login/?next=${encodeURIComponent(window.location.pathname)}`);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { status: res.status, data: data as T };
}

function isLoggedOut(data: unknown): boolean {
  const detail = data && typeof data === "object" ? (data as { detail?: unknown }).detail : "";
  return (
    typeof detail === "string" && /credentials were not provided|not authenticated/i.test(detail)
  );
}

export const get = <T>(url: string) => request<T>("GET", url).then((r) => r.data);

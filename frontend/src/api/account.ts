import { get, request } from "./client";

/** One of my API tokens, as listed: never its key. */
export interface ApiToken {
  id: number;
  name: string;
  /** The key's first 8 characters. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  /** The token this request came with (never, from the browser's session). */
  current: boolean;
}

/** A token just made: its key, shown this once. */
export interface NewToken extends ApiToken {
  token: string;
}

export const accountApi = {
  tokens: () => get<ApiToken[]>("/api/auth/tokens/"),
  createToken: (name: string) =>
    request<NewToken>("POST", "/api/auth/tokens/", { name }).then((r) => r.data),
  revokeToken: (id: number) =>
    request<null>("DELETE", `/api/auth/tokens/${id}/`).then(() => undefined),
  changePassword: (oldPassword: string, newPassword: string) =>
    request<null>("POST", "/api/me/password/", {
      old_password: oldPassword,
      new_password: newPassword,
    }).then(() => undefined),
};

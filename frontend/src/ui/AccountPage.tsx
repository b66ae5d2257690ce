import { useEffect, useState } from "preact/hooks";
import { type ApiToken, accountApi, type NewToken } from "../api/account";
import { errorMessage, type FieldErrors, fieldErrors } from "../api/errors";
import { formatDate, t } from "../i18n";

/** My account: API tokens (list, make, revoke) and the password. */
export function AccountPage() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState("");
  const reload = () =>
    accountApi.tokens().then(setTokens, (err: unknown) => setError(errorMessage(err)));
  useEffect(() => {
    reload();
  }, []);
  return (
    <main class="page account">
      <h1>{t("account.title")}</h1>
      <TokensSection tokens={tokens} setTokens={setTokens} reload={reload} loadError={error} />
      <PasswordSection onChanged={reload} />
    </main>
  );
}

function tokenName(token: ApiToken): string {
  return token.name || t("account.tokens.unnamed");
}

function TokensSection({
  tokens,
  setTokens,
  reload,
  loadError,
}: {
  tokens: ApiToken[] | null;
  setTokens: (update: (list: ApiToken[] | null) => ApiToken[] | null) => void;
  reload: () => Promise<void>;
  loadError: string;
}) {
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<NewToken | null>(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  async function create(e: Event): Promise<void> {
    e.preventDefault();
    setError("");
    setStatus("");
    try {
      setFresh(await accountApi.createToken(name.trim()));
      setName("");
      await reload();
    } catch (err) {
      setError(Object.values(fieldErrors(err)).join(" "));
    }
  }

  async function revoke(token: ApiToken): Promise<void> {
    setError("");
    try {
      await accountApi.revokeToken(token.id);
      setTokens((list) => (list ?? []).filter((x) => x.id !== token.id));
      if (fresh?.id === token.id) setFresh(null);
      setStatus(t("account.tokens.revoked", { name: tokenName(token) }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{t("account.tokens.title")}</h2>
      <p class="muted">{t("account.tokens.about")}</p>
      {tokens === null && !loadError && <p>{t("common.loading")}</p>}
      {loadError && <p role="alert">{loadError}</p>}
      {tokens && tokens.length === 0 && <p>{t("account.tokens.none")}</p>}
      {tokens && tokens.length > 0 && (
        <table class="docs tokens">
          <thead>
            <tr>
              <th scope="col">{t("account.tokens.name")}</th>
              <th scope="col">{t("account.tokens.prefix")}</th>
              <th scope="col">{t("account.tokens.created")}</th>
              <th scope="col">{t("account.tokens.lastUsed")}</th>
              <th scope="col">
                <span class="sr-only">{t("account.tokens.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} data-token={token.prefix}>
                <td>{tokenName(token)}</td>
                <td>
                  <code>{token.prefix}…</code>
                </td>
                <td>{formatDate(token.created_at)}</td>
                <td>
                  {token.last_used_at ? formatDate(token.last_used_at) : t("account.tokens.never")}
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={t("account.tokens.revokeNamed", { name: tokenName(token) })}
                    onClick={() => revoke(token)}
                  >
                    {t("account.tokens.revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {fresh && (
        <div class="new-token" role="status">
          <p>{t("account.tokens.copyNow")}</p>
          <p>
            <code data-new-token>{fresh.token}</code>
          </p>
        </div>
      )}
      <form class="inline-form" onSubmit={create}>
        <label for="token-name">{t("account.tokens.newName")}</label>
        <input
          id="token-name"
          type="text"
          maxLength={100}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit">{t("account.tokens.create")}</button>
      </form>
      <p aria-live="polite">{status}</p>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

function PasswordSection({ onChanged }: { onChanged: () => Promise<void> }) {
  const [oldPassword, setOld] = useState("");
  const [newPassword, setNew] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState("");

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    setErrors({});
    setStatus("");
    try {
      await accountApi.changePassword(oldPassword, newPassword);
      setOld("");
      setNew("");
      setStatus(t("account.password.changed"));
      await onChanged();
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  }

  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">{t("account.password.title")}</h2>
      <p class="muted">{t("account.password.about")}</p>
      <form onSubmit={submit}>
        <PasswordField
          id="old-password"
          label={t("account.password.current")}
          autocomplete="current-password"
          value={oldPassword}
          error={errors.old_password}
          onInput={setOld}
        />
        <PasswordField
          id="new-password"
          label={t("account.password.new")}
          autocomplete="new-password"
          value={newPassword}
          error={errors.new_password}
          onInput={setNew}
        />
        <p>
          <button type="submit" class="primary">
            {t("account.password.submit")}
          </button>
        </p>
      </form>
      <p aria-live="polite">{status}</p>
      {errors.detail && <p role="alert">{errors.detail}</p>}
    </section>
  );
}

/** A password input with its label and, when the server refused it, why (read with it). */
function PasswordField({
  id,
  label,
  autocomplete,
  value,
  error,
  onInput,
}: {
  id: string;
  label: string;
  autocomplete: "current-password" | "new-password";
  value: string;
  error?: string;
  onInput: (value: string) => void;
}) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="password"
        autocomplete={autocomplete}
        required
        value={value}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </>
  );
}

import { useEffect, useRef, useState } from "preact/hooks";
import {
  adminApi,
  type CreatedAccount,
  type Invitation,
  type Member,
  type NewAccount,
  ROLES,
  type Role,
} from "../api/admin";
import { api } from "../api/endpoints";
import { ApiError, errorMessage, type FieldErrors, fieldErrors } from "../api/errors";
import { trashApi } from "../api/trash";
import { formatDate, t } from "../i18n";
import { lostWork } from "../ui/ConfirmDelete";
import { Modal } from "../ui/Dialogs";
import { roleName } from "../ui/ProjectList";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { UserPicker } from "./UserPicker";
import "./workflow.css";
import "./settings.css";

function byId(a: Member, b: Member): number {
  return a.id - b.id;
}

/** Who works on the project (admins): members and roles, adding people, new accounts. */
export function PeoplePage({ pk }: { pk: number }) {
  const project = useAsync(() => adminApi.project(pk), [pk]);
  return (
    <main class="page settings-page">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("people.project")}
        </a>
      </p>
      <h1>
        {project.data ? t("people.titleOf", { project: project.data.name }) : t("people.title")}
      </h1>
      {project.loading && !project.data && <p>{t("common.loading")}</p>}
      {project.error && <p role="alert">{project.error}</p>}
      {project.data && project.data.my_role !== "admin" && (
        <p role="alert">{t("people.adminsOnly")}</p>
      )}
      {project.data?.my_role === "admin" && <MembersPanel pk={pk} />}
    </main>
  );
}

/** The members table, the add-a-member form and the new-account form share one list. */
export function MembersPanel({ pk }: { pk: number }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [me, setMe] = useState("");
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [confirming, setConfirming] = useState<number | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  // A member with work, asked about again with what their removal takes away.
  const [withWork, setWithWork] = useState<{ member: Member; lost: Record<string, number> } | null>(
    null,
  );

  useEffect(() => {
    let live = true;
    adminApi.members(pk).then(
      (list) => live && setMembers(list.sort(byId)),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    api.me().then(
      (who) => live && setMe(who.username),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [pk]);

  const upsert = (m: Member) =>
    setMembers((list) => [...(list ?? []).filter((x) => x.id !== m.id), m].sort(byId));

  function fail(err: unknown): void {
    setStatus("");
    setError(Object.values(fieldErrors(err)).join(" "));
  }

  async function changeRole(member: Member, role: Role): Promise<void> {
    setError("");
    if (
      member.username === me &&
      role !== "admin" &&
      !window.confirm(t("people.confirmDemoteSelf"))
    ) {
      upsert({ ...member });
      return;
    }
    try {
      upsert(await adminApi.setRole(pk, member.id, role));
      setStatus(t("people.roleChanged", { name: member.username, role: roleName(role) }));
    } catch (err) {
      upsert({ ...member });
      fail(err);
    }
  }

  async function remove(member: Member, confirm = false): Promise<void> {
    setError("");
    setConfirming(null);
    setWithWork(null);
    try {
      await trashApi.removeMember(pk, member.id, confirm);
      setMembers((list) => (list ?? []).filter((x) => x.id !== member.id));
      setStatus(t("people.removed", { name: member.username }));
    } catch (err) {
      if (err instanceof ApiError && err.code === "confirm_required" && err.wouldDelete) {
        setWithWork({ member, lost: err.wouldDelete });
      } else fail(err);
    }
  }

  async function renew(member: Member): Promise<void> {
    setError("");
    try {
      const invitation = await adminApi.renewInvitation(pk, member.id);
      upsert({ ...member, invitation: { expires_at: invitation.expires_at } });
      setSecret({ username: member.username, invitation });
    } catch (err) {
      fail(err);
    }
  }

  return (
    <>
      {withWork && (
        <Modal
          title={t("people.removeWithWorkTitle", { name: withWork.member.username })}
          role="alertdialog"
        >
          <p>
            {t("people.removeWithWork", {
              name: withWork.member.username,
              what: lostWork(withWork.lost),
            })}
          </p>
          <p class="muted">{t("trash.restorable")}</p>
          <div class="row">
            <button type="button" class="danger" onClick={() => remove(withWork.member, true)}>
              {t("people.removeAnyway", { name: withWork.member.username })}
            </button>
            <button type="button" onClick={() => setWithWork(null)}>
              {t("people.keep")}
            </button>
          </div>
        </Modal>
      )}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t("people.members")}</h2>
        {members === null && !error && <p>{t("common.loading")}</p>}
        {members && (
          <table class="docs members">
            <thead>
              <tr>
                <th scope="col">{t("people.username")}</th>
                <th scope="col">{t("people.role")}</th>
                <th scope="col">
                  <span class="sr-only">{t("people.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id} data-member={m.username}>
                  <td>
                    {m.username}
                    {m.username === me && <span class="muted"> {t("people.you")}</span>}{" "}
                    <a
                      class="small"
                      href={`/projects/${pk}/history/?annotator=${encodeURIComponent(m.username)}`}
                      onClick={onLinkClick}
                    >
                      {t("history.linkPerson", { name: m.username })}
                    </a>
                    {m.invitation && (
                      <div class="muted small">
                        {m.invitation.expires_at
                          ? t("people.invitedUntil", { when: formatDate(m.invitation.expires_at) })
                          : t("people.invitationLapsed")}
                      </div>
                    )}
                  </td>
                  <td>
                    <label class="sr-only" for={`member-role-${m.id}`}>
                      {t("people.roleOf", { name: m.username })}
                    </label>
                    <select
                      id={`member-role-${m.id}`}
                      value={m.role}
                      onChange={(e) => changeRole(m, e.currentTarget.value as Role)}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {roleName(r)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <span class="row">
                      {m.invitation && (
                        <button type="button" onClick={() => renew(m)}>
                          {t("people.newLink")}
                        </button>
                      )}
                      <RemoveMember
                        member={m}
                        confirming={confirming === m.id}
                        onAsk={() => setConfirming(m.id)}
                        onCancel={() => setConfirming(null)}
                        onConfirm={() => remove(m)}
                      />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p aria-live="polite">{status}</p>
        {error && (
          <p role="alert" class="error-text">
            {error}
          </p>
        )}
        {secret && <SecretBox secret={secret} onDone={() => setSecret(null)} />}
      </section>
      <section aria-labelledby="add-member-heading">
        <h2 id="add-member-heading">{t("people.addHeading")}</h2>
        <AddMember
          pk={pk}
          onAdded={(m) => {
            upsert(m);
            setError("");
            setStatus(t("people.added", { name: m.username, role: roleName(m.role) }));
          }}
        />
      </section>
      <section aria-labelledby="new-account-heading">
        <h2 id="new-account-heading">{t("people.newAccountHeading")}</h2>
        <p class="muted">{t("people.newAccountHelp")}</p>
        <NewAccountForm
          pk={pk}
          onCreated={(made) => {
            upsert(made.member);
            setError("");
            setStatus(
              t("people.added", { name: made.member.username, role: roleName(made.member.role) }),
            );
            setSecret({
              username: made.member.username,
              password: made.temporary_password ?? undefined,
              invitation: made.invitation ?? undefined,
            });
          }}
        />
      </section>
    </>
  );
}

interface Secret {
  username: string;
  password?: string;
  invitation?: Invitation;
}

/** A temporary password or an invitation link, shown once: the server keeps only a hash. */
function SecretBox({ secret, onDone }: { secret: Secret; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), [secret]);
  const value = secret.password ?? secret.invitation?.url ?? "";
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <section class="secret" aria-label={t("people.passOn")} tabIndex={-1} ref={box}>
      <p>
        {secret.password
          ? t("people.passwordFor", { name: secret.username })
          : t("people.linkFor", {
              name: secret.username,
              when: formatDate(secret.invitation?.expires_at ?? ""),
            })}
      </p>
      <p>
        <code class="secret-value" data-secret>
          {value}
        </code>
      </p>
      <p class="muted">{t("people.shownOnce")}</p>
      <span class="row">
        <button type="button" onClick={copy}>
          {copied ? t("people.copied") : t("people.copy")}
        </button>
        <button type="button" onClick={onDone}>
          {t("people.done")}
        </button>
      </span>
    </section>
  );
}

/** Remove asks once; focus moves to the answer and back, so the keyboard never loses its place. */
function RemoveMember({
  member,
  confirming,
  onAsk,
  onCancel,
  onConfirm,
}: {
  member: Member;
  confirming: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const confirm = useRef<HTMLButtonElement>(null);
  const ask = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
    else if (wasConfirming.current) ask.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  if (!confirming)
    return (
      <button
        type="button"
        ref={ask}
        aria-label={t("people.removeWho", { name: member.username })}
        onClick={onAsk}
      >
        {t("people.remove")}
      </button>
    );
  return (
    <span class="row">
      <button type="button" class="danger" ref={confirm} onClick={onConfirm}>
        {t("people.removeConfirm", { name: member.username })}
      </button>
      <button type="button" onClick={onCancel}>
        {t("people.keep")}
      </button>
    </span>
  );
}

function RoleSelect({
  value,
  onChange,
  error,
}: {
  value: Role;
  onChange: (r: Role) => void;
  error?: string;
}) {
  return (
    <label>
      {t("people.role")}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {roleName(r)}
          </option>
        ))}
      </select>
      {error && <span class="field-error">{error}</span>}
    </label>
  );
}

function OtherErrors({ errors }: { errors: FieldErrors }) {
  if (Object.keys(errors).length === 0) return null;
  return (
    <p role="alert" class="error-text">
      {Object.values(errors).join(" ")}
    </p>
  );
}

function AddMember({ pk, onAdded }: { pk: number; onAdded: (m: Member) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("annotator");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    const typed = name.trim();
    if (!typed) {
      setErrors({ username: t("people.enterName") });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onAdded(await adminApi.addMember(pk, typed, role));
      setName("");
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  const { username: nameError, role: roleError, ...other } = errors;
  return (
    <form class="settings-form" onSubmit={submit} aria-label={t("people.addHeading")} noValidate>
      <div class="field">
        <label for="add-member-name">{t("people.nameOrEmail")}</label>
        <UserPicker
          pk={pk}
          id="add-member-name"
          value={name}
          onInput={setName}
          invalid={!!nameError}
          describedBy={nameError ? "add-member-name-error" : undefined}
        />
        {nameError && (
          <span id="add-member-name-error" class="field-error">
            {nameError}
          </span>
        )}
      </div>
      <RoleSelect value={role} onChange={setRole} error={roleError} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t("people.adding") : t("people.addMember")}
      </button>
      <OtherErrors errors={other} />
    </form>
  );
}

function NewAccountForm({
  pk,
  onCreated,
}: {
  pk: number;
  onCreated: (made: CreatedAccount) => void;
}) {
  const [draft, setDraft] = useState<NewAccount>({
    username: "",
    email: "",
    role: "annotator",
    method: "invitation",
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<NewAccount>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    if (!draft.username.trim()) {
      setErrors({ username: t("people.enterUsername") });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onCreated(await adminApi.createAccount(pk, draft));
      setDraft((d) => ({ ...d, username: "", email: "" }));
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  const { username: nameError, email: emailError, role: roleError, ...other } = errors;
  const described = (field: string, error?: string) =>
    error
      ? { "aria-invalid": "true" as const, "aria-describedby": `new-account-${field}-error` }
      : {};
  return (
    <form
      class="settings-form"
      onSubmit={submit}
      aria-label={t("people.newAccountHeading")}
      noValidate
    >
      <label>
        {t("people.username")}
        <input
          value={draft.username}
          autoComplete="off"
          spellcheck={false}
          onInput={(e) => set({ username: e.currentTarget.value })}
          {...described("username", nameError)}
        />
        {nameError && (
          <span id="new-account-username-error" class="field-error">
            {nameError}
          </span>
        )}
      </label>
      <label>
        {t("people.emailOptional")}
        <input
          type="email"
          value={draft.email}
          autoComplete="off"
          onInput={(e) => set({ email: e.currentTarget.value })}
          {...described("email", emailError)}
        />
        {emailError && (
          <span id="new-account-email-error" class="field-error">
            {emailError}
          </span>
        )}
      </label>
      <RoleSelect value={draft.role} onChange={(role) => set({ role })} error={roleError} />
      <fieldset class="methods">
        <legend>{t("people.howFirstLogin")}</legend>
        <label class="check">
          <input
            type="radio"
            name="account-method"
            checked={draft.method === "invitation"}
            onChange={() => set({ method: "invitation" })}
          />{" "}
          {t("people.methodInvitation")}
        </label>
        <label class="check">
          <input
            type="radio"
            name="account-method"
            checked={draft.method === "password"}
            onChange={() => set({ method: "password" })}
          />{" "}
          {t("people.methodPassword")}
        </label>
      </fieldset>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t("people.creating") : t("people.createAccount")}
      </button>
      <OtherErrors errors={other} />
    </form>
  );
}

import { useEffect, useRef, useState } from "preact/hooks";
import { adminApi, type Member, ROLES, type Role } from "../api/admin";
import { api } from "../api/endpoints";
import { errorMessage, type FieldErrors, fieldErrors } from "../api/errors";

const ROLE_TEXT: Record<Role, string> = {
  admin: "Admin",
  reviewer: "Reviewer",
  annotator: "Annotator",
};

function byId(a: Member, b: Member): number {
  return a.id - b.id;
}

/** Who works on the project: change a role, remove someone, add someone by username. */
export function MembersPanel({ pk }: { pk: number }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [me, setMe] = useState("");
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [confirming, setConfirming] = useState<number | null>(null);

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
      !window.confirm("You will no longer be an admin of this project and cannot undo this. Go on?")
    ) {
      upsert({ ...member });
      return;
    }
    try {
      upsert(await adminApi.setRole(pk, member.id, role));
      setStatus(`${member.username} is now ${ROLE_TEXT[role].toLowerCase()}.`);
    } catch (err) {
      upsert({ ...member });
      fail(err);
    }
  }

  async function remove(member: Member): Promise<void> {
    setError("");
    setConfirming(null);
    try {
      await adminApi.removeMember(pk, member.id);
      setMembers((list) => (list ?? []).filter((x) => x.id !== member.id));
      setStatus(`${member.username} was removed.`);
    } catch (err) {
      fail(err);
    }
  }

  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {members === null && !error && <p>Loading…</p>}
      {members && (
        <table class="docs members">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id} data-member={m.username}>
                <td>
                  {m.username}
                  {m.username === me && <span class="muted"> (you)</span>}
                </td>
                <td>
                  <label class="sr-only" for={`member-role-${m.id}`}>
                    Role of {m.username}
                  </label>
                  <select
                    id={`member-role-${m.id}`}
                    value={m.role}
                    onChange={(e) => changeRole(m, e.currentTarget.value as Role)}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {ROLE_TEXT[r]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <RemoveMember
                    member={m}
                    confirming={confirming === m.id}
                    onAsk={() => setConfirming(m.id)}
                    onCancel={() => setConfirming(null)}
                    onConfirm={() => remove(m)}
                  />
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
      <AddMember
        pk={pk}
        onAdded={(m) => {
          upsert(m);
          setError("");
          setStatus(`${m.username} was added as ${ROLE_TEXT[m.role].toLowerCase()}.`);
        }}
      />
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
      <button type="button" ref={ask} aria-label={`Remove ${member.username}…`} onClick={onAsk}>
        Remove…
      </button>
    );
  return (
    <span class="row">
      <button type="button" class="danger" ref={confirm} onClick={onConfirm}>
        Remove {member.username}
      </button>
      <button type="button" onClick={onCancel}>
        Keep
      </button>
    </span>
  );
}

function AddMember({ pk, onAdded }: { pk: number; onAdded: (m: Member) => void }) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("annotator");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    const name = username.trim();
    if (!name) {
      setErrors({ username: "Enter a username." });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onAdded(await adminApi.addMember(pk, name, role));
      setUsername("");
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  const { username: nameError, role: roleError, ...other } = errors;
  return (
    <form class="settings-form" onSubmit={submit} aria-label="Add a member">
      <label>
        Username
        <input
          value={username}
          autoComplete="off"
          aria-invalid={nameError ? "true" : undefined}
          aria-describedby={nameError ? "add-member-username-error" : undefined}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        {nameError && (
          <span id="add-member-username-error" class="field-error">
            {nameError}
          </span>
        )}
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_TEXT[r]}
            </option>
          ))}
        </select>
        {roleError && <span class="field-error">{roleError}</span>}
      </label>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Adding…" : "Add member"}
      </button>
      {Object.keys(other).length > 0 && (
        <p role="alert" class="error-text">
          {Object.values(other).join(" ")}
        </p>
      )}
    </form>
  );
}

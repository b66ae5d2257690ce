import { useEffect, useRef, useState } from "preact/hooks";
import { adminApi, type UserSuggestion } from "../api/admin";
import { t } from "../i18n";
import { roleName } from "../ui/ProjectList";

const DEBOUNCE_MS = 200;

/**
 * A username-or-email field that suggests accounts as one types (the ARIA 1.2 combobox
 * pattern: arrows move through the list, Enter takes one, Escape closes it). What is typed
 * stays the value, so an exact name or email that is not suggested still works.
 */
export function UserPicker({
  pk,
  id,
  value,
  onInput,
  invalid,
  describedBy,
}: {
  pk: number;
  id: string;
  value: string;
  onInput: (value: string) => void;
  invalid: boolean;
  describedBy?: string;
}) {
  const [options, setOptions] = useState<UserSuggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const asked = useRef(0);

  useEffect(() => {
    const q = value.trim();
    if (!q) {
      setOptions([]);
      return;
    }
    const ask = ++asked.current;
    const timer = window.setTimeout(() => {
      adminApi.searchUsers(pk, q).then(
        (found) => {
          if (ask !== asked.current) return; // a later keystroke asked again
          setOptions(found);
          setActive(-1);
        },
        () => ask === asked.current && setOptions([]),
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [pk, value]);

  const listId = `${id}-suggestions`;
  const shown = open && options.length > 0;

  function pick(option: UserSuggestion): void {
    onInput(option.username);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(e: KeyboardEvent): void {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!options.length) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (e.key === "Enter" && shown && active >= 0) {
      e.preventDefault();
      pick(options[active]);
    } else if (e.key === "Escape" && shown) {
      e.preventDefault();
      setOpen(false);
    }
  }

  return (
    <span class="combobox">
      <input
        id={id}
        role="combobox"
        value={value}
        autoComplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={shown ? "true" : "false"}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={invalid ? "true" : undefined}
        aria-describedby={describedBy}
        onInput={(e) => {
          onInput(e.currentTarget.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        // Picking keeps the focus here (mousedown is prevented), so leaving the field closes.
        onBlur={() => setOpen(false)}
      />
      <div
        id={listId}
        role="listbox"
        class="suggestions"
        hidden={!shown}
        aria-label={t("people.suggestions")}
      >
        {options.map((option, i) => (
          <div
            key={option.id}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active ? "true" : "false"}
            class={i === active ? "active" : undefined}
            onMouseDown={(e) => {
              e.preventDefault(); // keep the focus in the field
              pick(option);
            }}
          >
            {option.username}
            {option.role && (
              <span class="muted">
                {" "}
                {t("people.alreadyMember", { role: roleName(option.role) })}
              </span>
            )}
          </div>
        ))}
      </div>
    </span>
  );
}

/**
 * Catalog completeness: every key the source asks `t()` for exists in every catalog (with
 * each plural form the language's `Intl.PluralRules` has), no catalog keeps a key nobody
 * uses, both languages fill the same `{{placeholders}}`, and Indonesian is not English
 * copied over.
 */
/// <reference types="vite/client" />
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { catalogs, LANGUAGES } from ".";

// Every module of the app, as text (tests and the i18n module itself excepted).
const SOURCES = Object.entries(
  import.meta.glob(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}"], {
    query: "?raw",
    import: "default",
    eager: true,
  }) as Record<string, string>,
).map(([path, text]) => ({ path: path.replace(/^\.\.\//, ""), text }));

interface Use {
  key: string;
  plural: boolean;
  where: string;
}

/** Every `t("key", …)` call in the source; a key that is not a literal is a problem. */
function uses(): { found: Use[]; problems: string[] } {
  const found: Use[] = [];
  const problems: string[] = [];
  for (const { path, text } of SOURCES) {
    const source = ts.createSourceFile(
      path,
      text,
      ts.ScriptTarget.Latest,
      false,
      path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "t"
      ) {
        const [key, values] = node.arguments;
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        const where = `${path}:${line + 1}`;
        if (key && (ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key))) {
          const plural =
            !!values &&
            ts.isObjectLiteralExpression(values) &&
            values.properties.some(
              (p) => p.name && ts.isIdentifier(p.name) && p.name.text === "count",
            );
          found.push({ key: key.text, plural, where });
        } else {
          problems.push(
            `${where}: t() needs a literal key (write each key out so it can be checked)`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { found, problems };
}

// Attributes a person reads (or hears from a screen reader); a literal there is a string that
// skipped the catalog. Component props that carry visible text are listed too.
const READ_ATTRIBUTES = new Set([
  "title",
  "aria-label",
  "aria-description",
  "aria-valuetext",
  "placeholder",
  "alt",
  "label",
  "term",
  "failure",
  "heading",
  "extra",
]);
// Notices and messages shown to the user: their arguments are read.
const SHOWN_BY =
  /^(set\w*(Notice|Error|Message|Status|Failure)|notice|onNotice|onNotFound|confirm|alert)$/;
// Text that is not a language: key caps, units, symbols, example input, identifiers.
const NOT_WORDS =
  /^(?:[^\p{L}]*|(?:Ctrl|Alt|Shift|Esc|Enter|Del|Backspace)(?:\+\S+)*|https?:\/\/\S+|\{.*\}|SHA-256|UTF-16|[A-Z]{2,}|κ|α)$/u;

const readable = (text: string) => /\p{L}{2}/u.test(text) && !NOT_WORDS.test(text.trim());
const literalText = (node: ts.Node): string | null => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((s) => s.literal.text).join("");
  return null;
};

/** String literals an expression shows as they are (not inside a call, a comparison or a key). */
function shownLiterals(node: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    const text = literalText(n);
    if (text !== null) {
      if (readable(text)) found.push(n);
      if (ts.isTemplateExpression(n)) for (const span of n.templateSpans) visit(span.expression);
      return;
    }
    if (ts.isCallExpression(n) || ts.isElementAccessExpression(n) || ts.isJsxAttributes(n)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind !== ts.SyntaxKind.BarBarToken &&
      n.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken &&
      n.operatorToken.kind !== ts.SyntaxKind.PlusToken
    )
      return;
    if (ts.isConditionalExpression(n)) {
      visit(n.whenTrue);
      visit(n.whenFalse);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Text the interface shows without asking the catalog: JSX text, read attributes, notices. */
function hardCoded(): string[] {
  const problems: string[] = [];
  for (const { path, text } of SOURCES) {
    if (path.startsWith("i18n/")) continue;
    const source = ts.createSourceFile(
      path,
      text,
      ts.ScriptTarget.Latest,
      true,
      path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const report = (node: ts.Node, what: string) => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      problems.push(`${path}:${line + 1}: ${JSON.stringify(what.trim())}`);
    };
    const inKbd = (node: ts.Node) =>
      ts.isJsxElement(node.parent) && node.parent.openingElement.tagName.getText(source) === "kbd";
    const visit = (node: ts.Node): void => {
      if (ts.isJsxText(node) && readable(node.text) && !inKbd(node)) report(node, node.text);
      if (
        ts.isJsxExpression(node) &&
        node.expression &&
        (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)) &&
        !inKbd(node)
      )
        for (const lit of shownLiterals(node.expression)) report(lit, literalText(lit) ?? "");
      if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(source))) {
        const init = node.initializer;
        if (init && ts.isStringLiteral(init) && readable(init.text)) report(node, init.text);
        if (init && ts.isJsxExpression(init) && init.expression)
          for (const lit of shownLiterals(init.expression)) report(lit, literalText(lit) ?? "");
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression.getText(source).split(".").pop()?.replace("?", "") ?? "";
        if (SHOWN_BY.test(callee))
          for (const arg of node.arguments)
            for (const lit of shownLiterals(arg)) report(lit, literalText(lit) ?? "");
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === "string") flat.set(key, value);
    else for (const [k, v] of flatten(value, key)) flat.set(k, v);
  }
  return flat;
}

const flat = Object.fromEntries(
  LANGUAGES.map((lang) => [lang, flatten(catalogs[lang] as Tree)]),
) as Record<(typeof LANGUAGES)[number], Map<string, string>>;

const pluralForms = (lang: string) =>
  new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];

/** The catalog keys a use needs in a language. */
function needed(use: Use, lang: string): string[] {
  return use.plural ? pluralForms(lang).map((form) => `${use.key}_${form}`) : [use.key];
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

// Words that are the same in both languages (checked by a person, not a slip).
const SAME_IN_BOTH = new Set([
  "spanPanel.label",
  "help.label",
  "editor.labels",
  "roles.admin",
  "table.status",
  "table.format",
  "history.status",
]);

describe("translation catalogs", () => {
  const { found, problems } = uses();

  it("asks for every key by a literal", () => {
    expect(problems).toEqual([]);
    expect(SOURCES.length).toBeGreaterThan(50); // the glob reached the whole app
    expect(found.length).toBeGreaterThan(0);
  });

  it("shows no hard-coded text: JSX text, read attributes and notices go through t()", () => {
    expect(hardCoded()).toEqual([]);
  });

  for (const lang of LANGUAGES) {
    it(`has every key the source uses in ${lang}`, () => {
      const missing = found.flatMap((use) =>
        needed(use, lang)
          .filter((key) => !flat[lang].has(key))
          .map((key) => `${use.where}: ${key}`),
      );
      expect(missing).toEqual([]);
    });

    it(`keeps no unused key in ${lang}`, () => {
      const used = new Set(found.flatMap((use) => needed(use, lang)));
      // A plural key may carry forms another language needs (English `_one`).
      const bases = new Set(found.filter((u) => u.plural).map((u) => u.key));
      const unused = [...flat[lang].keys()].filter(
        (key) => !used.has(key) && !bases.has(key.replace(/_(zero|one|two|few|many|other)$/, "")),
      );
      expect(unused).toEqual([]);
    });

    it(`has no empty text in ${lang}`, () => {
      expect([...flat[lang]].filter(([, text]) => !text.trim()).map(([key]) => key)).toEqual([]);
    });
  }

  it("fills the same placeholders in both languages", () => {
    const mismatched = found.flatMap((use) => {
      const en = needed(use, "en").flatMap((k) => placeholders(flat.en.get(k) ?? ""));
      const id = needed(use, "id").flatMap((k) => placeholders(flat.id.get(k) ?? ""));
      const a = [...new Set(en.filter((p) => p !== "count"))].sort();
      const b = [...new Set(id.filter((p) => p !== "count"))].sort();
      return a.join() === b.join() ? [] : [`${use.key}: en {${a}} id {${b}}`];
    });
    expect(mismatched).toEqual([]);
  });

  it("does not copy English into the Indonesian catalog", () => {
    const copied = [...flat.id]
      .filter(([key, text]) => flat.en.get(key) === text && /\p{L}{3}/u.test(text))
      .map(([key]) => key)
      .filter((key) => !SAME_IN_BOTH.has(key));
    expect(copied).toEqual([]);
  });
});

describe("plural rules", () => {
  it("takes plural forms from Intl (CLDR)", () => {
    // CLDR: English has one/other, Indonesian a single form.
    expect(pluralForms("en")).toEqual(["one", "other"]);
    expect(pluralForms("id")).toEqual(["other"]);
  });
});

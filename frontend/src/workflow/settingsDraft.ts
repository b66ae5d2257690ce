/** Form state for the project settings: text inputs in, a typed PATCH body and field errors out. */

import type { ProjectSettings } from "../api/admin";
import type { FieldErrors } from "../api/errors";
import { t } from "../i18n";

/** What the inputs hold: numbers stay text until saved, so a half-typed "0." is not lost. */
export interface SettingsDraft {
  annotators_per_document: string;
  allow_overlap: boolean;
  annotators_see_each_other: boolean;
  anonymize_review: boolean;
  quotes_include_marks: boolean;
  annotators_see_gold_after_review: boolean;
  merge_threshold: string;
  check_rate: string;
  guidelines: string;
}

export function draftFrom(p: ProjectSettings): SettingsDraft {
  return {
    annotators_per_document: String(p.annotators_per_document),
    allow_overlap: p.allow_overlap,
    annotators_see_each_other: p.annotators_see_each_other,
    anonymize_review: p.anonymize_review,
    quotes_include_marks: p.quotes_include_marks,
    annotators_see_gold_after_review: p.annotators_see_gold_after_review,
    merge_threshold: String(p.merge_threshold),
    check_rate: String(p.check_rate),
    guidelines: p.guidelines,
  };
}

/** The PATCH body for a draft, or the errors that keep it from being sent. */
export function settingsFromDraft(
  d: SettingsDraft,
): { ok: true; value: ProjectSettings } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const perDoc = Number(d.annotators_per_document);
  if (d.annotators_per_document.trim() === "" || !Number.isInteger(perDoc) || perDoc < 1)
    errors.annotators_per_document = t("settingsForm.wholeNumber");
  const threshold = Number(d.merge_threshold);
  if (
    d.merge_threshold.trim() === "" ||
    !Number.isFinite(threshold) ||
    threshold <= 0 ||
    threshold > 1
  )
    errors.merge_threshold = t("settingsForm.threshold");
  const checkRate = Number(d.check_rate);
  if (d.check_rate.trim() === "" || !Number.isFinite(checkRate) || checkRate < 0 || checkRate > 1)
    errors.check_rate = t("settings.checkRateInvalid");
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      annotators_per_document: perDoc,
      allow_overlap: d.allow_overlap,
      annotators_see_each_other: d.annotators_see_each_other,
      anonymize_review: d.anonymize_review,
      quotes_include_marks: d.quotes_include_marks,
      annotators_see_gold_after_review: d.annotators_see_gold_after_review,
      merge_threshold: threshold,
      check_rate: checkRate,
      guidelines: d.guidelines,
    },
  };
}

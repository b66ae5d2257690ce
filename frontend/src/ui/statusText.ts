import type { AnnotationStatus } from "../api/types";
import { t } from "../i18n";

/** An annotation's status as the interface language says it ("Draft", "Dikirim"…). */
export function annotationStatusText(status: AnnotationStatus | string): string {
  switch (status) {
    case "draft":
      return t("annotationStatus.draft");
    case "submitted":
      return t("annotationStatus.submitted");
    case "skipped":
      return t("annotationStatus.skipped");
    default:
      return status;
  }
}

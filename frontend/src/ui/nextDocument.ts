import { api } from "../api/endpoints";
import { navigate } from "./router";

/**
 * Opens the next document from the project's queue; when the queue endpoint
 * is missing, falls back to the first listed document not yet done by me.
 */
export async function openNextDocument(pk: number): Promise<boolean> {
  const doc = await api.nextDocument(pk);
  if (doc) {
    navigate(`/projects/${pk}/documents/${doc.id}/`);
    return true;
  }
  for (let page = 1; page <= 20; page++) {
    let list: Awaited<ReturnType<typeof api.documents>>;
    try {
      list = await api.documents(pk, page);
    } catch {
      return false;
    }
    const open = list.results.find((d) => d.my_status !== "submitted" && d.my_status !== "skipped");
    if (open) {
      navigate(`/projects/${pk}/documents/${open.id}/`);
      return true;
    }
    if (!list.next) break;
  }
  return false;
}

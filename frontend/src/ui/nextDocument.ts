import { api } from "../api/endpoints";
import { navigate } from "./router";

/**
 * Opens the next document from the project's queue; only when the server has
 * no queue endpoint does it fall back to the first listed document not yet done by me.
 */
export async function openNextDocument(pk: number): Promise<boolean> {
  let next: Awaited<ReturnType<typeof api.nextDocument>>;
  try {
    next = await api.nextDocument(pk);
  } catch {
    return false;
  }
  if (next === "empty") return false;
  if (next !== "unavailable") {
    navigate(`/projects/${pk}/documents/${next.id}/`);
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

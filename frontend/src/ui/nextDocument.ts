import { api } from "../api/endpoints";
import { navigate } from "./router";

/** Opens the next document from the project's queue; false when there is none (or no answer). */
export async function openNextDocument(pk: number): Promise<boolean> {
  let next: Awaited<ReturnType<typeof api.nextDocument>>;
  try {
    next = await api.nextDocument(pk);
  } catch {
    return false;
  }
  if (next === "empty") return false;
  navigate(`/projects/${pk}/documents/${next.id}/`);
  return true;
}

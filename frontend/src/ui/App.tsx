import { useEffect, useState } from "preact/hooks";
import { api } from "../api/endpoints";
import type { Me } from "../api/types";
import { AgreementPage } from "../workflow/AgreementPage";
import { DashboardPage } from "../workflow/DashboardPage";
import { DocumentsPage } from "../workflow/DocumentsPage";
import { ExportsPage } from "../workflow/ExportsPage";
import { HistoryPage } from "../workflow/HistoryPage";
import { LabelsPage } from "../workflow/LabelsPage";
import { PeoplePage } from "../workflow/PeoplePage";
import { QualityPage } from "../workflow/QualityPage";
import { ReviewPage } from "../workflow/ReviewPage";
import { SettingsPage } from "../workflow/SettingsPage";
import { SuggestionQualityPage } from "../workflow/SuggestionQualityPage";
import { AccountPage } from "./AccountPage";
import { EditorPage } from "./EditorPage";
import { Header } from "./Header";
import { NotFoundPage } from "./Problem";
import { ProjectList } from "./ProjectList";
import { ProjectPage } from "./ProjectPage";
import { useRoute } from "./router";
import { TrashPage } from "./TrashPage";

export function App() {
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    api.me().then(setMe, () => setMe(null));
  }, []);
  return (
    <div class="app">
      <Header me={me} />
      {route.name === "projects" && <ProjectList />}
      {route.name === "account" && <AccountPage />}
      {route.name === "trash" && <TrashPage />}
      {route.name === "project" && <ProjectPage pk={route.pk} />}
      {route.name === "document" && (
        <EditorPage key={`${route.pk}/${route.docId}`} pk={route.pk} docId={route.docId} />
      )}
      {route.name === "review" && (
        <ReviewPage key={`${route.pk}/${route.docId}`} pk={route.pk} docId={route.docId} />
      )}
      {route.name === "agreement" && <AgreementPage key={route.pk} pk={route.pk} />}
      {route.name === "exports" && <ExportsPage key={route.pk} pk={route.pk} />}
      {route.name === "dashboard" && <DashboardPage key={route.pk} pk={route.pk} />}
      {route.name === "documents" && <DocumentsPage key={route.pk} pk={route.pk} />}
      {route.name === "settings" && <SettingsPage key={route.pk} pk={route.pk} />}
      {route.name === "suggestions" && <SuggestionQualityPage key={route.pk} pk={route.pk} />}
      {route.name === "quality" && <QualityPage key={route.pk} pk={route.pk} />}
      {route.name === "people" && <PeoplePage key={route.pk} pk={route.pk} />}
      {route.name === "labels" && <LabelsPage key={route.pk} pk={route.pk} />}
      {route.name === "documentHistory" && (
        <HistoryPage
          key={`${route.pk}/${route.docId}`}
          pk={route.pk}
          subject={{ docId: route.docId }}
        />
      )}
      {route.name === "history" && (
        <HistoryPage
          key={`${route.pk}/${route.annotator}`}
          pk={route.pk}
          subject={{ username: route.annotator }}
        />
      )}
      {route.name === "other" && <NotFoundPage />}
    </div>
  );
}

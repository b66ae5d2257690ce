export function AgreementPage({ pk }: { pk: number }) {
  return <main class="page">Project {pk}: coming next.</main>;
}

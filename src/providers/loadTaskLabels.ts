// The Load Tasks rows' labels: a task is named by its volume, and tasks into the same volume are told apart by
// what they load ("b-vol1 ← notes.md +2"), then by the end of their id if that is the same too (no vscode).

export interface LabelledTask {
  id: string;
  name: string;
  volume_name: string;
  source_config: { common_file_task_config: { uris: readonly string[] } };
}

const base = (task: LabelledTask): string => task.volume_name || task.name || task.id;

function files(task: LabelledTask): string {
  const uris = task.source_config.common_file_task_config.uris;
  if (uris.length === 0) return '';
  const first = uris[0].replace(/\/+$/, '').split('/').pop() || uris[0];
  return uris.length > 1 ? `${first} +${uris.length - 1}` : first;
}

/** A label for each task (by id), distinct among `tasks`. */
export function loadTaskLabels(tasks: readonly LabelledTask[]): Map<string, string> {
  const count = (labels: readonly string[], label: string): number => labels.filter((l) => l === label).length;
  const bases = tasks.map(base);
  const withFiles = tasks.map((t, i) => (count(bases, bases[i]) > 1 && files(t) ? `${bases[i]} ← ${files(t)}` : bases[i]));
  const labels = tasks.map((t, i) => (count(withFiles, withFiles[i]) > 1 ? `${withFiles[i]} · #${t.id.slice(-4)}` : withFiles[i]));
  return new Map(tasks.map((t, i) => [t.id, labels[i]]));
}

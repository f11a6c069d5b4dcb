// Sample workspace folders for the tests and the demo: a few small files of the kinds users upload.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/** Writes the sample files into `dir` (created if needed; a new temp folder when omitted). */
export function createSampleWorkspace(dir) {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'datahub-workspace-'));
  mkdirSync(join(root, 'data'), { recursive: true });
  writeFileSync(join(root, 'README.md'), '# Sample workspace\n\nFiles to try Datahub with: right-click one in the Explorer and choose "Upload to Datahub…".\n');
  const rows = ['id,city,temperature_c,recorded_at'];
  const cities = ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Chengdu'];
  for (let i = 1; i <= 200; i++) rows.push(`${i},${cities[i % cities.length]},${(10 + ((i * 7) % 25) + (i % 10) / 10).toFixed(1)},2026-01-${String((i % 28) + 1).padStart(2, '0')}T08:00:00Z`);
  writeFileSync(join(root, 'data', 'weather.csv'), `${rows.join('\n')}\n`);
  const events = [];
  for (let i = 1; i <= 50; i++) events.push(JSON.stringify({ event_id: `evt-${i}`, kind: i % 3 === 0 ? 'click' : 'view', user: `u${i % 7}`, ts: 1767225600 + i * 60 }));
  writeFileSync(join(root, 'data', 'events.jsonl'), `${events.join('\n')}\n`);
  writeFileSync(join(root, 'notes.txt'), 'Datahub sample notes.\nThis folder is created by the test harness and by `npm start`.\n');
  return root;
}

// Load Tasks labels: tasks into the same volume get distinct labels.
import * as assert from 'node:assert/strict';
import { loadTaskLabels, type LabelledTask } from '../../../src/providers/loadTaskLabels';

const task = (id: string, volume: string, uris: string[]): LabelledTask => ({ id, name: '', volume_name: volume, source_config: { common_file_task_config: { uris } } });

describe('load task labels', () => {
  it('names a task by its volume when it is the only one into it', () => {
    assert.deepEqual([...loadTaskLabels([task('1001', 'b-vol1', ['a.csv']), task('1002', 'b-vol2', ['b.csv'])]).values()], ['b-vol1', 'b-vol2']);
  });

  it('tells tasks into one volume apart by what they load, then by the end of their id', () => {
    const labels = loadTaskLabels([
      task('1889000000000001111', 'b-vol1', ['data/notes.md', 'x.csv', 'y.csv']),
      task('1889000000000002222', 'b-vol1', ['reports/']),
      task('1889000000000003333', 'b-vol1', ['a.csv']),
      task('1889000000000004444', 'b-vol1', ['a.csv']),
      task('1889000000000005555', 'other', ['a.csv']),
    ]);
    assert.deepEqual([...labels.values()], ['b-vol1 ← notes.md +2', 'b-vol1 ← reports', 'b-vol1 ← a.csv · #3333', 'b-vol1 ← a.csv · #4444', 'other']);
    assert.equal(new Set(labels.values()).size, labels.size);
  });
});

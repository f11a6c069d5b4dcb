// Probe, run by hand: where a small file's time goes in the engine (per-request send → answer, and the gaps between
// one file's three calls), from node's http diagnostics channels. `node --import tsx bench/probeEngineLatency.ts [files]`
import { subscribe } from 'node:diagnostics_channel';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBenchEmulator } from './emulatorProcess';
import { uploadThroughEngine } from './engineUpload';
import { ensureSmallFiles } from './smallFilesBench';

interface Req { method: string; path: string; start: number; answer?: number }
const open = new WeakMap<object, Req>();
const all: Req[] = [];
subscribe('http.client.request.start', (m) => {
  const { request } = m as { request: { method: string; path: string } };
  const r: Req = { method: request.method, path: request.path, start: performance.now() };
  open.set(request, r);
  all.push(r);
});
subscribe('http.client.response.finish', (m) => {
  const { request } = m as { request: object };
  const r = open.get(request);
  if (r) r.answer = performance.now();
});

let sockets = 0;
subscribe('net.client.socket', () => { sockets++; });
const median = (v: number[]): number => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 400);
  const emu = await startBenchEmulator(join(__dirname, 'data', `probe-latency-${process.pid}`));
  try {
    const files = await ensureSmallFiles(join(__dirname, 'data', `small-${count}x4096`), count, 4096);
    await emu.admin('POST', '/_emulator/subtasks', { subtask_id: 'probe' });
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const t0 = performance.now();
    await uploadThroughEngine({ url: emu.url, partSize: 5 * 1024 * 1024, partConcurrency: 4, fileConcurrency: 8 }, files, 'probe', undefined, () => emu.cpuSeconds());
    const secs = (performance.now() - t0) / 1000;
    lag.disable();
    console.log(`event loop delay: mean ${(lag.mean / 1e6).toFixed(2)} ms, p50 ${(lag.percentile(50) / 1e6).toFixed(2)}, p99 ${(lag.percentile(99) / 1e6).toFixed(2)}, max ${(lag.max / 1e6).toFixed(1)}`);
    console.log(`${count} files in ${secs.toFixed(2)} s: ${(count / secs).toFixed(0)} files/s`);
    const kinds = new Map<string, number[]>();
    for (const r of all) {
      const kind = `${r.method} ${r.path.replace(/\?.*/, '').replace(/[0-9a-f-]{8,}/g, ':id').replace(/\/[^/]*\.bin.*/, '/:file').slice(0, 60)}`;
      if (r.answer !== undefined) (kinds.get(kind) ?? kinds.set(kind, []).get(kind))?.push(r.answer - r.start);
    }
    for (const [k, v] of kinds) console.log(`${k.padEnd(64)} n=${v.length} median ${median(v).toFixed(1)} ms  p90 ${[...v].sort((a, b) => a - b)[Math.floor(v.length * 0.9)]?.toFixed(1)} ms`);
    // Gaps: between one request's answer and the next request's start, in start order (any file).
    const sorted = all.filter((r) => r.answer !== undefined).sort((a, b) => a.start - b.start);
    const inflight: number[] = [];
    for (const r of sorted) inflight.push(sorted.filter((o) => o.start <= r.start && (o.answer ?? 0) > r.start).length);
    console.log(`new client sockets: ${sockets}`);
    console.log(`requests in flight at each start: median ${median(inflight)}, requests ${sorted.length}`);
  } finally {
    await emu.close();
    await rm(join(__dirname, 'data', `probe-latency-${process.pid}`), { recursive: true, force: true });
  }
}
void main();

// A one-line progress bar for a TTY: "[#####-----] 42% 85 MB/s 12 s left".
import { formatBytes, formatDuration, formatRate, percentOf } from '../transfer/format';
import type { TransferProgress } from '../transfer/types';

export function renderProgressLine(label: string, p: TransferProgress, width = 30): string {
  const percent = p.phaseTotal !== undefined ? percentOf(p.phaseDone ?? 0, p.phaseTotal) : percentOf(p.bytesDone, p.bytesTotal);
  const filled = Math.round((percent / 100) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const phase = p.stalled ? 'stalled ' : p.phase && p.phase !== 'uploading' && p.phase !== 'downloading' ? `${p.phase} ` : '';
  const rate = p.bytesPerSecond > 0 ? ` ${formatRate(p.bytesPerSecond)}` : '';
  const eta = p.etaSeconds !== undefined && p.bytesPerSecond > 0 ? ` ${formatDuration(p.etaSeconds)} left` : '';
  return `${label} ${bar} ${phase}${percent}% ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}${rate}${eta}`;
}

// The file name "Edit in Editor Tab" gives a job's SQL. Job names come from the server and the document gives
// them no rule, so a name is never used as a path: it becomes one safe file name inside the SQL folder.
import { createHash } from 'node:crypto';

/** Letters (any script), digits, `_` and `-`: what a file name may keep of a job name as it is. */
const SAFE_NAME = /^[\p{L}\p{N}_-]{1,80}$/u;
/** Names Windows reserves for devices, whatever the extension. */
const DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * `<name>.sql` for a plain name; otherwise its safe characters, a hash of the whole name (so that two names never
 * share a file) and `.sql`. Never contains a separator, `..`, a control character or a leading dot.
 */
export function sqlFileName(jobName: string): string {
  if (jobName === '') return 'new-job.sql';
  if (SAFE_NAME.test(jobName) && !DEVICE_NAME.test(jobName)) return `${jobName}.sql`;
  const readable = jobName.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  const hash = createHash('sha256').update(jobName, 'utf8').digest('hex').slice(0, 12);
  return `${readable ? `${readable}-` : 'job-'}${hash}.sql`;
}

// The emulated buckets: one folder of sample files per bucket name, listed the way /connectors/files/list answers.
import { mkdirSync, readdirSync, statSync, writeFileSync, openSync, ftruncateSync, closeSync, existsSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface BucketEntry {
  uri: string;
  filename: string;
  size: number;
  type: number;
}

const TYPE_BY_EXTENSION = new Map(
  Object.entries({
    '.txt': 1, '.log': 1, '.pdf': 2, '.png': 3, '.jpg': 3, '.jpeg': 3, '.gif': 3, '.webp': 3, '.bmp': 3,
    '.ppt': 4, '.pptx': 4, '.doc': 5, '.docx': 5, '.md': 6, '.markdown': 6, '.csv': 7, '.parquet': 8, '.sql': 9,
  }),
);

/** The document's file type of a name, by extension; 0 when it has none of the known ones. */
export function fileTypeOf(name: string): number {
  return TYPE_BY_EXTENSION.get(extname(name).toLowerCase()) ?? 0;
}

export function bucketDir(root: string, bucket: string): string {
  return join(root, 'buckets', bucket);
}

export function bucketExists(root: string, bucket: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) && existsSync(bucketDir(root, bucket));
}

/** Every file and directory of a bucket, recursively, uris relative with `/`, sorted by uri. */
export function listBucket(root: string, bucket: string): BucketEntry[] {
  if (!bucketExists(root, bucket)) return [];
  const out: BucketEntry[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const uri = prefix + name;
      const st = statSync(full);
      if (st.isDirectory()) {
        out.push({ uri, filename: name, size: 0, type: 10 });
        walk(full, uri + '/');
      } else if (st.isFile()) {
        out.push({ uri, filename: name, size: st.size, type: fileTypeOf(name) });
      }
    }
  };
  walk(bucketDir(root, bucket), '');
  return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

/** Writes the sample buckets. Large files are sparse (size without disk use), so nothing binary is committed. */
export function writeSampleBuckets(root: string): void {
  const text = (bucket: string, uri: string, content: string): void => {
    const path = join(bucketDir(root, bucket), uri);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  };
  const sparse = (bucket: string, uri: string, size: number): void => {
    const path = join(bucketDir(root, bucket), uri);
    mkdirSync(join(path, '..'), { recursive: true });
    const fd = openSync(path, 'w');
    try {
      ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
  };
  const csv = ['region,month,amount', ...Array.from({ length: 200 }, (_, i) => `r${i % 7},2024-${String((i % 12) + 1).padStart(2, '0')},${(i * 37) % 1000}`)].join('\n');
  text('sample-bucket', 'readme.txt', 'Sample bucket of the Datahub emulator (ingest, api 001).\n');
  text('sample-bucket', 'notes.md', '# Notes\n\nFiles whose name contains "fail" fail on their first load attempt.\n');
  sparse('sample-bucket', '红楼梦(通行本)简体横排.pdf', 6787457);
  text('sample-bucket', 'data/sales-2024.csv', csv + '\n');
  sparse('sample-bucket', 'data/events.parquet', 24 * 1024 * 1024);
  text('sample-bucket', 'data/broken-fail.csv', 'a,b\n1,2\n');
  sparse('sample-bucket', 'images/logo.png', 48_213);
  text('sample-bucket', 'queries/report.sql', 'SELECT region, sum(amount) FROM sales GROUP BY region;\n');
  mkdirSync(join(bucketDir(root, 'sample-bucket'), 'empty'), { recursive: true });
  text('s3-bucket', 'logs/app-01.txt', 'started\n'.repeat(500));
  text('s3-bucket', 'logs/app-02.txt', 'stopped\n'.repeat(300));
  sparse('s3-bucket', 'big/archive.parquet', 320 * 1024 * 1024);
  sparse('s3-bucket', 'slides/q3.pptx', 2_400_000);
  sparse('s3-bucket', 'docs/spec.docx', 310_000);
}

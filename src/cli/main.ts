// The `datahub` command: upload, download (bin/datahub.js hands `emulator` to the emulator's own bundle); errors on stderr with a non-zero exit.
import { ApiError, ValidationError, describeError } from '../api/errors';
import { UsageError } from './args';
import { downloadCommand } from './downloadCommand';
import { MULTIPART_USAGE } from './multipartUpload';
import { UPLOAD_USAGE, uploadCommand } from './uploadCommand';
import { printErr } from './terminalText';

const USAGE = `usage: datahub <command> [options]
commands:
  upload <file|folder>... --subtask ID   upload to a Datahub subtask (resumable: run it again to continue)
  download --subtask ID [--out DIR]      download a subtask's input file (resumable, never overwrites unless --overwrite)
  emulator [--port P] [--data DIR] [--seed] [--allow-input-dir DIR] [--store s3-sigv2|oss|s3-sigv4|lenient] [--min-part-size N]
                                         serve every backend locally (store profile: how presigned URLs are checked)
${UPLOAD_USAGE}
${MULTIPART_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'upload':
      return uploadCommand(rest);
    case 'download':
      return downloadCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
}

// Until a command answers, the exit code says failure: a run that stops without settling never reports success.
process.exitCode = 1;
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ValidationError) printErr(`datahub: ${error.message}`);
    else if (error instanceof ApiError) printErr(`datahub: ${error.describe()}`);
    else printErr(`datahub: ${describeError(error)}`);
    process.exitCode = error instanceof UsageError || error instanceof ValidationError ? 2 : 1;
  },
);

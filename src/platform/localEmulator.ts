// The emulator shipped in the extension (dist/emulator.js) run as a child process on a free loopback port, with its
// sample data, in a folder of the extension's storage; stopped with the extension (or when this process goes away).
import { fork, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { Logger } from '../api/logger';

/** How long the child may take to print its URL before the start counts as failed. */
const START_TIMEOUT_MS = 30_000;

export class LocalEmulator implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private urlValue: string | undefined;
  private readonly changed = new Set<() => void>();
  private readonly exited = new Set<(url: string) => void>();

  constructor(
    private readonly extensionPath: string,
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  /** The URL of the emulator this window started, while it runs. */
  get url(): string | undefined {
    return this.urlValue;
  }

  /** The emulator's process id, while it runs. */
  get pid(): number | undefined {
    return this.urlValue ? this.child?.pid : undefined;
  }

  onDidChange(listener: () => void): vscode.Disposable {
    this.changed.add(listener);
    return { dispose: () => void this.changed.delete(listener) };
  }

  /** The emulator stopped by itself (a crash, a kill) while it ran at `url`; not fired by stop(). */
  onDidExitUnexpectedly(listener: (url: string) => void): vscode.Disposable {
    this.exited.add(listener);
    return { dispose: () => void this.exited.delete(listener) };
  }

  /** Starts it (or returns the one running) and resolves to its URL once it listens. */
  async start(): Promise<string> {
    if (this.child && this.urlValue) return this.urlValue;
    // Fresh sample data on every start: the folder of the previous run goes first.
    await rm(this.dataDir, { recursive: true, force: true });
    const script = join(this.extensionPath, 'dist', 'emulator.js');
    // fork runs it with this host's own runtime (ELECTRON_RUN_AS_NODE makes Electron behave as Node in desktop VS Code);
    // the IPC channel lets the emulator stop when this extension host goes away without a goodbye.
    const child = fork(script, ['emulator', '--port', '0', '--seed', '--data', this.dataDir], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => this.logger.debug(`emulator: ${chunk.toString().trimEnd()}`));
    child.once('exit', (code, signal) => {
      // stop() forgets the child first: only an exit nobody asked for gets here.
      if (this.child !== child) return;
      this.logger.info(`local emulator stopped (${signal ?? `exit code ${String(code)}`})`);
      const url = this.urlValue;
      this.child = undefined;
      this.urlValue = undefined;
      this.fire();
      if (url) for (const listener of [...this.exited]) listener(url);
    });
    try {
      const url = await listeningUrl(child);
      this.urlValue = url;
      this.logger.info(`local emulator listening on ${url} (data: ${this.dataDir})`);
      this.fire();
      return url;
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  stop(): void {
    const child = this.child;
    this.child = undefined;
    this.urlValue = undefined;
    if (child && child.exitCode === null) child.kill('SIGTERM');
    this.fire();
  }

  private fire(): void {
    for (const listener of [...this.changed]) listener();
  }

  dispose(): void {
    this.stop();
    this.changed.clear();
    this.exited.clear();
  }
}

/** Reads the child's output until it prints "listening on <url>"; fails when it exits or takes too long first. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => finish(new Error(`the emulator did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const finish = (result: string | Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) finish(match[1]);
    };
    const onError = (chunk: Buffer): void => {
      errors = (errors + chunk.toString()).slice(-2000);
    };
    const onExit = (code: number | null): void => finish(new Error(`the emulator exited (code ${String(code)}) before it listened: ${errors.trim()}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
  });
}

// Test-runner extension (tests only): inside code-server's extension host it runs the compiled
// integration suites with mocha against the real `vscode` API and writes the results as JSON.
// It is inert unless DATAHUB_TEST_RESULTS names a results file, so it can never run for a user.
// The same file is @vscode/test-electron's extensionTestsPath: there `run()` is called instead.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS extension, loaded by VS Code as is */
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

function activate() {
  const resultsFile = process.env.DATAHUB_TEST_RESULTS;
  if (!resultsFile || globalThis.__datahubTestRunnerStarted) return;
  if (!claim(resultsFile)) return;
  // Not awaited: activation must return at once; the results file is the outcome.
  runAll(resultsFile).catch((err) => {
    writeResults(resultsFile, { passed: 0, failed: 1, pending: 0, tests: [{ title: 'test runner', state: 'failed', error: describe(err) }] });
  });
}

function deactivate() {}

/** Only the first extension host of a run runs the suites: a page reload starts another one. */
function claim(resultsFile) {
  globalThis.__datahubTestRunnerStarted = true;
  try {
    fs.writeFileSync(`${resultsFile}.claimed`, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    console.log(`datahub test runner: the suites already run in another extension host; not starting again (pid ${process.pid})`);
    return false;
  }
}

function describe(err) {
  if (err instanceof Error) return err.stack || `${err.name}: ${err.message}`;
  return String(err);
}

/** Writes through a temporary file and a rename, so the harness never reads half a file. */
function writeResults(file, results) {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/** One JSON line per finished test, which the harness prints while the run goes on. */
function progress(file, event) {
  try {
    fs.appendFileSync(`${file}.progress`, `${JSON.stringify(event)}\n`);
  } catch {
    // progress is a nicety; the results file is what counts
  }
}

async function waitForExtension(id, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (vscode.extensions.getExtension(id)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`extension ${id} is not installed in this extension host (waited ${timeoutMs / 1000} s)`);
}

function loadMocha() {
  const mochaPath = process.env.DATAHUB_TEST_MOCHA;
  if (!mochaPath) throw new Error('DATAHUB_TEST_MOCHA (path of the mocha package) is not set');
  const loaded = require(mochaPath);
  // mocha 11 exports the constructor; newer ones a namespace with .Mocha.
  return typeof loaded === 'function' ? loaded : loaded.Mocha;
}

function suiteFiles() {
  const dir = process.env.DATAHUB_TEST_SUITES;
  if (!dir) throw new Error('DATAHUB_TEST_SUITES (folder of the compiled suites) is not set');
  const only = (process.env.DATAHUB_TEST_FILES || '').split(',').filter(Boolean);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js') && (only.length === 0 || only.some((o) => f.startsWith(o))))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Runs every suite and returns {passed, failed, pending, files, tests}; progress lines go to `resultsFile`.progress. */
async function runSuites(resultsFile) {
  await waitForExtension(process.env.DATAHUB_TEST_EXTENSION || 'oortech.datahub-vscode', 60_000);
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.DATAHUB_TEST_TIMEOUT || 30_000),
    // Results are collected from the runner's events below; no console reporter is needed.
    reporter: class SilentReporter {},
  });
  if (process.env.DATAHUB_TEST_GREP) mocha.grep(process.env.DATAHUB_TEST_GREP);
  const files = suiteFiles();
  for (const file of files) mocha.addFile(file);
  const names = files.map((f) => path.basename(f));

  const tests = [];
  const record = (test, state, err) => {
    const entry = { title: test.fullTitle(), file: path.basename(test.file || ''), state, duration: test.duration || 0 };
    if (err) entry.error = describe(err);
    tests.push(entry);
    if (resultsFile) progress(resultsFile, entry);
    else console.log(`  ${state === 'passed' ? '✓' : state === 'failed' ? '✗' : '-'} ${entry.title}${entry.error ? `\n${entry.error}` : ''}`);
  };
  try {
    // Loads the suites with require() (the `vscode` import of a bundled suite is served by the
    // extension host's module interceptor) and emits mocha's pre-require, so describe/it exist.
    mocha.loadFiles();
    mocha.lazyLoadFiles(true);
  } catch (err) {
    return { passed: 0, failed: 1, pending: 0, files: names, tests: [{ title: 'loading the suites', state: 'failed', error: describe(err) }] };
  }
  await new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => record(test, 'passed'));
    runner.on('fail', (test, err) => record(test, 'failed', err));
    runner.on('pending', (test) => record(test, 'pending'));
  });
  const count = (state) => tests.filter((t) => t.state === state).length;
  return { passed: count('passed'), failed: count('failed'), pending: count('pending'), files: names, tests };
}

async function runAll(resultsFile) {
  writeResults(resultsFile, await runSuites(resultsFile));
}

/**
 * VS Code's extension tests entry point (code-server's workbench payload, or @vscode/test-electron's
 * extensionTestsPath). Under the harness (DATAHUB_TEST_RESULTS set) it writes the results file and resolves once the
 * suites are done; otherwise it resolves when every test passed and rejects when one failed.
 */
async function run() {
  const resultsFile = process.env.DATAHUB_TEST_RESULTS;
  if (resultsFile) {
    if (claim(resultsFile)) await runAll(resultsFile).catch((err) => writeResults(resultsFile, { passed: 0, failed: 1, pending: 0, tests: [{ title: 'test runner', state: 'failed', error: describe(err) }] }));
    return;
  }
  const results = await runSuites(undefined);
  console.log(`${results.passed} passed, ${results.failed} failed${results.pending ? `, ${results.pending} skipped` : ''}`);
  if (results.failed > 0) {
    for (const test of results.tests.filter((t) => t.state === 'failed' && t.title === 'loading the suites')) console.error(test.error);
    throw new Error(`${results.failed} integration test(s) failed`);
  }
}

module.exports = { activate, deactivate, run };

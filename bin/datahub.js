#!/usr/bin/env node
// Entry point of the `datahub` command: runs the bundled CLI (upload, download, emulator).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bin shim
require('../dist/cli.js');

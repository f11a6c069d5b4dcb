#!/usr/bin/env node
// Entry point of the `datahub` command: runs the bundled CLI (upload, download), or for `emulator` the
// emulator's own bundle (the extension's code and the emulator share nothing).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bin shim
require(process.argv[2] === 'emulator' ? '../dist/emulator.js' : '../dist/cli.js');

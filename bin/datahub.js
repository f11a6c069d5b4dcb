#!/usr/bin/env node
// Entry point of the `datahub` command: runs the bundled CLI (upload, download, emulator).
require('../dist/cli.js');

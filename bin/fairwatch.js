#!/usr/bin/env node
'use strict';
// The `fairwatch` CLI (npx fairwatch --help). Loads the compiled CLI from dist/; run `npm run build` first.
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(
    'fairwatch: the CLI is not built yet (missing dist/src/cli/main.js).\n' +
      'Run `npm run build` in ' + path.join(__dirname, '..') + ' and try again.\n',
  );
  process.exit(1);
}
require(entry);

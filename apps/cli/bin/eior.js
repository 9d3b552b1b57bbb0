#!/usr/bin/env node
// Entry point of `npx eior`: the compiled CLI lives in ../dist (built by `npm install` through `prepare`).
require('../dist/main.js').main(process.argv);

#!/usr/bin/env node
// A committed file, so pnpm can link the bin at install time, before dist/ is built.
import "../dist/cli/main.js";

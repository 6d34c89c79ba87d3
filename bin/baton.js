#!/usr/bin/env node
// Entry point of the `baton` command. Node >= 22.18 runs the TypeScript sources directly (type stripping).
import '../src/cli/main.ts';

#!/usr/bin/env node
// Entry point of the `gitops` command; the implementation is compiled to dist/.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);

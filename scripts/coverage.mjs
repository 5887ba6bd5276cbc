#!/usr/bin/env node
// Rewrite README.md's generated coverage block from the models and the handlers (run after a build).
import { readFileSync, writeFileSync } from "node:fs";
import { coverage, renderCoverage, withCoverage } from "../dist/coverage.js";

const path = new URL("../README.md", import.meta.url);
const cov = await coverage();
writeFileSync(path, withCoverage(readFileSync(path, "utf8"), renderCoverage(cov)));
for (const c of cov) console.log(`${c.title.padEnd(16)} ${String(c.implemented.length).padStart(4)} / ${c.implemented.length + c.missing.length}`);

#!/usr/bin/env node
// The workspace runs from TypeScript source; tsx compiles it on load.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");

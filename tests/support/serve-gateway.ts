import { runServeCommand } from "@sluice/server";

// `sluice serve` in a process of its own, configured by the environment (tests spawn it).
await runServeCommand([]);

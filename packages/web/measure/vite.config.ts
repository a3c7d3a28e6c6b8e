import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The Markdown measurement page (npm run measure:markdown -w @sluice/web); never served.
export default defineConfig({
  root: "measure",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, reportCompressedSize: false },
  logLevel: "warn",
});

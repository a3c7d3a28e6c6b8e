import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The gateway serves dist/ at `/`; its Content-Security-Policy allows scripts, styles and
// fonts from the page's own origin only, so nothing is inlined as a data: URI.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  // One React for the page and @sluice/client/react, wherever npm put the workspace.
  resolve: { dedupe: ["react", "react-dom"] },
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: "es2022",
    reportCompressedSize: false,
  },
});

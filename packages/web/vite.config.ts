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
    // Shiki's grammars (cpp, emacs-lisp: ~800 kB) are chunks of their own, loaded only when an
    // answer has a code block in that language; the page's own entry is far smaller.
    chunkSizeWarningLimit: 1024,
    // The build's plugin timings are for tuning the build, not for every `npm start`.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});

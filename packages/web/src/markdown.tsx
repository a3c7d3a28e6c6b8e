import { code } from "@streamdown/code";
import { memo } from "react";
import { defaultRehypePlugins, defaultRemarkPlugins, Streamdown } from "streamdown";
import { htmlAsText } from "./html-as-text.js";

const plugins = { code };
const remarkPlugins = [...Object.values(defaultRemarkPlugins), htmlAsText];
// Streamdown's sanitiser and link hardening, without rehype-raw: no HTML is ever parsed.
const rehypePlugins = Object.entries(defaultRehypePlugins)
  .filter(([name]) => name !== "raw")
  .map(([, plugin]) => plugin);
const controls = { code: { copy: true, download: false }, table: false, mermaid: false };

/**
 * Model output as Markdown, rendered while it streams by Streamdown: it re-renders only the
 * last block as text grows and closes unfinished syntax (an open code fence, half a table)
 * so that it shows sensibly mid-stream. Raw HTML in the output shows as text (see
 * {@link htmlAsText}), never as markup; code blocks are highlighted by Shiki with a copy button.
 */
export const Markdown = memo(function Markdown({
  text,
  streaming,
}: {
  text: string;
  streaming: boolean;
}) {
  return (
    <Streamdown
      className="markdown"
      plugins={plugins}
      controls={controls}
      remarkPlugins={remarkPlugins}
      rehypePlugins={rehypePlugins}
      skipHtml
      mode={streaming ? "streaming" : "static"}
      isAnimating={streaming}
    >
      {text}
    </Streamdown>
  );
});

import { code } from "@streamdown/code";
import DOMPurify from "dompurify";
import { marked } from "marked";
import { memo, useState } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { Streamdown } from "streamdown";

const section = (n: number) =>
  [
    `## Part ${n}: streaming and backpressure`,
    "A gateway passes every byte along in order, **without losing** a word or _repeating_ one. When the connection drops, the client resumes from the last event it saw.",
    "- first point about `latency` and tokens\n- second point, with a [link](https://example.com)\n- third point: heartbeats when the model is slow",
    "| setting | default | meaning |\n|---|---|---|\n| HEARTBEAT_MS | 15000 | comment frame interval |\n| STREAM_GRACE_MS | 30000 | how long a run outlives its reader |\n| RETRY_MAX_ATTEMPTS | 3 | upstream retries before the first token |",
    "```ts\nexport async function* withPing(source: AsyncIterable<string>, ms: number) {\n  for await (const chunk of source) {\n    yield chunk; // one token in, one frame out\n  }\n}\n```",
  ].join("\n\n");
const full = Array.from({ length: 40 }, (_, i) => section(i + 1)).join("\n\n");
const allTokens = full.match(/\s*\S{1,4}/g) ?? [];

type Renderer = "streamdown" | "streamdown+code" | "marked+dompurify";

const MarkedView = memo(({ text }: { text: string }) => {
  const html = DOMPurify.sanitize(marked.parse(text, { async: false }));
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by DOMPurify just above
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
});

function View({ renderer, text }: { renderer: Renderer; text: string }) {
  if (renderer === "marked+dompurify") return <MarkedView text={text} />;
  if (renderer === "streamdown+code")
    return (
      <Streamdown plugins={{ code }} isAnimating>
        {text}
      </Streamdown>
    );
  return <Streamdown isAnimating>{text}</Streamdown>;
}

let setter: (text: string) => void = () => {};
function Harness({ renderer }: { renderer: Renderer }) {
  const [text, setText] = useState("");
  setter = setText;
  return <View renderer={renderer} text={text} />;
}

/** Renders the answer growing by `step` tokens at a time; returns per-update times in ms. */
async function run(renderer: Renderer, tokens: number, step: number) {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  flushSync(() => root.render(<Harness renderer={renderer} />));
  const slice = allTokens.slice(0, tokens);
  const times: number[] = [];
  let text = "";
  for (let index = 0; index < slice.length; index += step) {
    text = slice.slice(0, index + step).join("");
    const start = performance.now();
    flushSync(() => setter(text));
    times.push(performance.now() - start);
    // Lets the browser lay out and paint, as between real network reads.
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  const total = times.reduce((a, b) => a + b, 0);
  const sorted = [...times].sort((a, b) => a - b);
  const result = {
    renderer,
    tokens: slice.length,
    updates: times.length,
    characters: text.length,
    totalMs: Math.round(total),
    meanMs: +(total / times.length).toFixed(2),
    p95Ms: +(sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(2),
    lastMs: +(times.at(-1) ?? 0).toFixed(2),
    tables: host.querySelectorAll("table").length,
    pres: host.querySelectorAll("pre").length,
  };
  root.unmount();
  host.remove();
  return result;
}

Object.assign(window, { measure: run, tokenCount: allTokens.length });

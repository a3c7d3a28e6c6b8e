/** A file part of a UI message, as the AI SDK sends it. */
export interface FilePartFields {
  mediaType: string;
  url: string;
  filename?: string | undefined;
}

const textTypes = new Set([
  "application/json",
  "application/xml",
  "application/javascript",
  "application/typescript",
  "application/x-yaml",
  "application/yaml",
  "application/toml",
  "application/sql",
  "application/x-sh",
  "application/csv",
]);

/**
 * What the model gets for a file a user attached that is not an image: a text file sent
 * inline (a `data:` URL) is given in full inside a `<file>` tag; any other file (a PDF, audio,
 * a link the gateway will not fetch) becomes a note saying it was attached and not passed on,
 * so that the model can tell the user instead of answering as if it had read it.
 */
export function filePartText(part: FilePartFields): string {
  const name = part.filename ?? "attachment";
  const mediaType = part.mediaType.toLowerCase().split(";")[0]?.trim() ?? "";
  const text = isTextType(mediaType) ? dataUrlText(part.url) : undefined;
  if (text === undefined) {
    return `[The user attached ${name} (${mediaType}); this gateway cannot pass that file to the model.]`;
  }
  return `<file name="${name.replaceAll('"', "'")}" type="${mediaType}">\n${text}\n</file>`;
}

function isTextType(mediaType: string): boolean {
  return (
    mediaType.startsWith("text/") ||
    textTypes.has(mediaType) ||
    mediaType.endsWith("+json") ||
    mediaType.endsWith("+xml")
  );
}

/**
 * The text of a `data:` URL, or undefined for any other URL. Written here because Node has
 * no synchronous decoder for `data:` URLs (its `fetch` reads them, asynchronously).
 */
function dataUrlText(url: string): string | undefined {
  if (!url.startsWith("data:")) return undefined;
  const comma = url.indexOf(",");
  if (comma === -1) return undefined;
  const header = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  try {
    const bytes = header.endsWith(";base64")
      ? Buffer.from(payload, "base64")
      : Buffer.from(decodeURIComponent(payload), "utf8");
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined; // not UTF-8 text after all: treated as a file the model cannot read
  }
}

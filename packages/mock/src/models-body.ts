import type { IncomingHttpHeaders } from "node:http";

/** The `GET /v1/models` body: Anthropic's shape when the request says `anthropic-version`, else OpenAI's. */
export function modelsBody(models: readonly string[], headers: IncomingHttpHeaders): string {
  if (headers["anthropic-version"] !== undefined) {
    return JSON.stringify({
      data: models.map((id) => ({
        type: "model",
        id,
        display_name: id,
        created_at: "2025-01-01T00:00:00Z",
      })),
      has_more: false,
      first_id: models[0] ?? null,
      last_id: models.at(-1) ?? null,
    });
  }
  return JSON.stringify({
    object: "list",
    data: models.map((id) => ({ id, object: "model", created: 1735689600, owned_by: "sluice" })),
  });
}

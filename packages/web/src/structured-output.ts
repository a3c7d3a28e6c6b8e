import type { SendOverrides } from "@sluice/client";

/** A request's `response_format`. */
export type ResponseFormat = NonNullable<SendOverrides["responseFormat"]>;

/** The JSON schema the structured-output mode starts with; the person may edit it. */
export const presetSchema = JSON.stringify(
  {
    type: "object",
    properties: {
      title: { type: "string" },
      summary: { type: "string" },
      keywords: { type: "array", items: { type: "string" } },
      difficulty: { type: "string", enum: ["easy", "medium", "hard"] },
    },
    required: ["title", "summary", "keywords", "difficulty"],
    additionalProperties: false,
  },
  null,
  2,
);

/** The `response_format` for a schema typed by the person, or why it cannot be one. */
export function responseFormatOf(
  schemaText: string,
): { format: ResponseFormat; problem?: undefined } | { format?: undefined; problem: string } {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch (error) {
    return { problem: `The schema is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { problem: "The schema must be a JSON object." };
  }
  const format: ResponseFormat = {
    type: "json_schema",
    json_schema: { name: "answer", schema: schema as Record<string, unknown>, strict: true },
  };
  return { format };
}

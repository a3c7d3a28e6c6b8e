import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { presetSchema, responseFormatOf } from "./structured-output.js";

describe("responseFormatOf", () => {
  it("makes the preset schema a json_schema response format", () => {
    const { format, problem } = responseFormatOf(presetSchema);
    assert.equal(problem, undefined);
    assert.equal(format?.type, "json_schema");
    assert.deepEqual(
      format?.type === "json_schema" && format.json_schema.schema,
      JSON.parse(presetSchema),
    );
  });

  it("says why text that is not a JSON object cannot be a schema", () => {
    assert.match(
      responseFormatOf("{ type: object").problem ?? "",
      /^The schema is not valid JSON: /,
    );
    assert.equal(responseFormatOf("[1, 2]").problem, "The schema must be a JSON object.");
    assert.equal(responseFormatOf("null").problem, "The schema must be a JSON object.");
  });
});

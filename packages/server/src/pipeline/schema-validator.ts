import { SluiceError } from "@sluice/protocol";
import { Ajv2020, type Options, type ValidateFunction } from "ajv/dist/2020.js";
import draft07MetaSchema from "ajv/dist/refs/json-schema-draft-07.json" with { type: "json" };

/** Checks a value against a schema: undefined when it conforms, else what is wrong. */
export type SchemaValidator = (value: unknown) => string | undefined;

// Schemas come from requests: unknown keywords and formats are ignored rather than fatal,
// and nothing is logged.
const options: Options = { strict: false, logger: false };
// Checks schemas against their meta-schema (2020-12 by default, draft-07 when a schema says
// so) without registering them, so one request's schema ($id and all) cannot affect another's.
const metaValidator = new Ajv2020(options);
metaValidator.addMetaSchema(draft07MetaSchema);

const cacheLimit = 64;
const cache = new Map<string, ValidateFunction>();

/**
 * The validator of a JSON Schema, compiled once per distinct schema text (the last 64 are
 * kept). Throws an `invalid_request` `SluiceError` when the schema itself is invalid.
 */
export function schemaValidator(schema: Record<string, unknown>): SchemaValidator {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (validate) {
    // Most recently used last, so that the first key is the one to evict.
    cache.delete(key);
  } else {
    validate = compile(schema);
    if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, validate);
  const compiled = validate;
  return (value) =>
    compiled(value) ? undefined : metaValidator.errorsText(compiled.errors, { separator: "; " });
}

function compile(schema: Record<string, unknown>): ValidateFunction {
  try {
    if (!metaValidator.validateSchema(schema)) {
      throw new Error(metaValidator.errorsText(metaValidator.errors, { separator: "; " }));
    }
    // A compiler of its own: Ajv keeps every schema it compiles, and their $ids would clash.
    return new Ajv2020({ ...options, validateSchema: false, addUsedSchema: false }).compile(schema);
  } catch (error) {
    throw new SluiceError("invalid_request", `invalid schema: ${(error as Error).message}`, {
      param: "response_format",
      cause: error,
    });
  }
}

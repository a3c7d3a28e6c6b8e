/** How deep {@link fillJsonSchema} follows nested schemas before it stops with a string. */
const MAX_DEPTH = 8;
/** The number a numeric property gets, moved into its `minimum`..`maximum` range. */
const NUMBER = 42;

/**
 * A value that fits a simple JSON Schema: every listed property of an object (required or
 * not), one item per array (or `minItems`, at most 5), the first `enum` value or `anyOf`
 * variant, `const`, 42 for numbers (within `minimum`/`maximum`), `true`, and for strings
 * `textFor(property name)` cut to `maxLength`. `$ref`, `pattern` and formats are not honoured.
 */
export function fillJsonSchema(schema: unknown, textFor: (property: string) => string): unknown {
  return fill(schema, "value", textFor, 0);
}

function fill(
  schema: unknown,
  name: string,
  textFor: (property: string) => string,
  depth: number,
): unknown {
  if (typeof schema !== "object" || schema === null || depth > MAX_DEPTH) return textFor(name);
  const node = schema as Record<string, unknown>;
  if ("const" in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  const variants = node.anyOf ?? node.oneOf;
  if (Array.isArray(variants) && variants.length > 0) {
    return fill(variants[0], name, textFor, depth + 1);
  }
  const types: unknown[] = Array.isArray(node.type) ? node.type : [node.type];
  const type = types.find((candidate) => candidate !== "null") ?? types[0];
  if (type === "object" || (type === undefined && typeof node.properties === "object")) {
    const value: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(node.properties ?? {})) {
      value[key] = fill(property, key, textFor, depth + 1);
    }
    return value;
  }
  if (type === "array") {
    const count = typeof node.minItems === "number" ? Math.max(1, node.minItems) : 1;
    return Array.from({ length: Math.min(count, 5) }, () =>
      fill(node.items, name, textFor, depth + 1),
    );
  }
  if (type === "integer" || type === "number") {
    const minimum = typeof node.minimum === "number" ? node.minimum : Number.NEGATIVE_INFINITY;
    const maximum = typeof node.maximum === "number" ? node.maximum : Number.POSITIVE_INFINITY;
    const value = Math.min(Math.max(NUMBER, minimum), maximum);
    return type === "integer" ? Math.ceil(value) : value;
  }
  if (type === "boolean") return true;
  if (type === "null") return null;
  const text = textFor(name);
  return typeof node.maxLength === "number" ? text.slice(0, node.maxLength) : text;
}

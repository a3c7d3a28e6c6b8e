/** A structured answer's object: partial while it streams, then the final, validated one. */
export function ObjectView({ value, final }: { value: unknown; final: boolean }) {
  return (
    <figure className="object-view" data-testid="object-view" data-final={final}>
      <figcaption>{final ? "Final object" : "Partial object, filling in…"}</figcaption>
      <pre>
        <code>{JSON.stringify(value, null, 2)}</code>
      </pre>
    </figure>
  );
}

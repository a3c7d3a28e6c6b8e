/** The part of a Markdown syntax tree (mdast) node this plugin looks at. */
interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
}

/**
 * A remark plugin that turns raw HTML in model output (`<b>`, `</script>`, `<img onerror>`)
 * into plain text, so that it shows as the model wrote it and never becomes markup. Written
 * here because it is six lines: a walk that renames one node type.
 */
export function htmlAsText() {
  return (tree: MarkdownNode) => {
    const walk = (node: MarkdownNode) => {
      if (node.type === "html") node.type = "text";
      node.children?.forEach(walk);
    };
    walk(tree);
  };
}

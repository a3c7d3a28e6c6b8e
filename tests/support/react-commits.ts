/**
 * A script to run in the page before its own: it installs the hook React DevTools uses (React
 * calls it after every commit, in production builds too) and counts the commits in which the
 * component that renders the first answer rendered. The DOM alone cannot tell a re-render
 * that changed nothing from no render at all.
 *
 * Set `window.watchFirstAnswer = true` to start counting; read `window.firstAnswerRenders`.
 * (Plain JavaScript in a string: code the test runner compiles would call its helpers, which
 * the page does not have.)
 */
export const countFirstAnswerRenders = `
(() => {
  window.firstAnswerRenders = 0;
  let lastProps;
  function find(fiber, element) {
    for (let node = fiber; node; node = node.sibling) {
      if (node.stateNode === element) return node;
      const found = find(node.child, element);
      if (found) return found;
    }
    return undefined;
  }
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject() { return 1; },
    checkDCE() {},
    onScheduleFiberRoot() {},
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onCommitFiberRoot(_id, root) {
      if (!window.watchFirstAnswer) return;
      const article = document.querySelector('article[aria-label="Answer"]');
      if (!article) return;
      let component = find(root.current, article)?.return ?? null;
      while (component && typeof component.type !== "function") component = component.return;
      // A component that did not render keeps the props object it last rendered with.
      if (component && component.memoizedProps !== lastProps) {
        if (lastProps !== undefined) window.firstAnswerRenders += 1;
        lastProps = component.memoizedProps;
      }
    },
  };
})();
`;

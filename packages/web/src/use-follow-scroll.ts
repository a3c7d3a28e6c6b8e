import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** How close to the bottom (px) still counts as reading the newest text. */
const slack = 48;

/**
 * Keeps a scrolling element at its bottom as its content grows, unless the person has
 * scrolled up to read: then `following` is false (the page offers "jump to latest") until
 * they scroll back down or call `jumpToLatest`. It scrolls in the same task as each render
 * that changes `version` (so no frame shows the new text below the edge), and on any later
 * growth of `content` seen by a ResizeObserver (highlighted code, a lazily loaded renderer).
 */
export function useFollowScroll(
  scroller: RefObject<HTMLElement | null>,
  content: RefObject<HTMLElement | null>,
  version: unknown,
): { following: boolean; jumpToLatest: () => void } {
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);

  const setFollow = useCallback((value: boolean) => {
    followingRef.current = value;
    setFollowing(value);
  }, []);

  const jumpToLatest = useCallback(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
    setFollow(true);
  }, [scroller, setFollow]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is what says the content changed
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && followingRef.current) element.scrollTop = element.scrollHeight;
  }, [scroller, version]);

  useEffect(() => {
    const element = scroller.current;
    const inner = content.current;
    if (!element || !inner) return;
    let lastTop = element.scrollTop;
    const onScroll = () => {
      const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= slack;
      // Only a move up is the person's: growth never scrolls the element up by itself.
      if (element.scrollTop < lastTop && !atBottom) setFollow(false);
      else if (atBottom) setFollow(true);
      lastTop = element.scrollTop;
    };
    const observer = new ResizeObserver(() => {
      if (followingRef.current) element.scrollTop = element.scrollHeight;
      lastTop = element.scrollTop;
    });
    element.addEventListener("scroll", onScroll, { passive: true });
    observer.observe(inner);
    return () => {
      element.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, [scroller, content, setFollow]);

  return { following, jumpToLatest };
}

/**
 * An element that redraws itself from a state on every change, in the same task as the change (Framework's reactive
 * cells would wait for the next animation frame): the headline figures and sentences of a cross-filtered dashboard.
 */

export interface Observable {
  /** calls `listener` after every change; returns the unsubscribe */
  subscribe(listener: () => void): () => void;
}

/**
 * A `tag` element (default span) with class `className`, drawn by `draw` now and after every change of `source`
 * until the element has left the page.
 */
export function live<E extends HTMLElement = HTMLSpanElement>(
  source: Observable,
  draw: (element: E) => void,
  { tag = "span", className = "" }: { tag?: string; className?: string } = {},
): E {
  const element = document.createElement(tag) as E;
  if (className) element.className = className;
  draw(element);
  let seen = false;
  const unsubscribe = source.subscribe(() => {
    if (element.isConnected) seen = true;
    else if (seen) return unsubscribe();
    draw(element);
  });
  return element;
}

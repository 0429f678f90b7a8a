// What the notes plugin hands Eleventy is frozen, all the way down. Eleventy wraps every plain object a page reads
// from its data in a Proxy (a new one at each read, with an empty object set on the page's own data to hold it) and
// deep-copies template data for each paginated template, unless the object is frozen (ProxyWrap.js, Merge.js). For
// 1,700 pages reading `site`, `t` and the model through the layouts that was a large part of rendering them, and
// thousands of proxies kept until the build ended (issue 16). Nothing changes a model once it is built.

/** Freezes plain objects and arrays below `value` (not typed arrays, dates or class instances); returns `value`. */
export function deepFreeze<T>(value: T): T {
  const seen = new Set<object>();
  const visit = (v: unknown) => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return;
    seen.add(v);
    // Accessors (a view's `html`) are left as they are: reading one here would read every note's HTML.
    for (const key of Object.keys(v)) {
      const descriptor = Object.getOwnPropertyDescriptor(v, key);
      if (descriptor && "value" in descriptor) visit(descriptor.value);
    }
    Object.freeze(v);
  };
  visit(value);
  return value;
}

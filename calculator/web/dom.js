// What the calculator page (app.js and its modules) and the list page (lists.js) both need to show text: the one
// {name} filling of policy texts (as subsidy_calculator.texts.fill) and DOM nodes built with
// textContent only, never innerHTML.

/** The element of the page with this id, as the type the caller declares (the markup is ours:
 * scripts/pages/templates/). @template {HTMLElement} [E=HTMLElement] @param {string} id @returns {E} */
export const $ = (id) => /** @type {E} */ (document.getElementById(id));

/** A page's entry module (app.js, lists.js): runs `main` with the page's element of this id, if the
 * page has one, and once only (its `data-started` says it has run).
 * @param {string} id @param {(root: HTMLElement) => void} main */
export function startPage(id, main) {
  const root = document.getElementById(id);
  if (root && !root.dataset.started) {
    root.dataset.started = "1";
    main(root);
  }
}

/** The elements under `root` (the page unless given) that `selector` finds, as the type the caller
 * declares. @template {Element} [E=HTMLElement] @param {string} selector @param {ParentNode} [root]
 * @returns {E[]} */
export const all = (selector, root = document) => /** @type {E[]} */ ([...root.querySelectorAll(selector)]);

/** The links (<a>) of the page that `selector` finds. @param {string} selector */
export const links = (selector) => /** @type {HTMLAnchorElement[]} */ (all(selector));

// A count as each language writes it (subsidy_calculator.formatting.format_count): "10,000" in
// English, "10000" in Chinese (no separators inside Chinese text).
export const count = (n, lang) => (lang === "zh" ? String(n) : n.toLocaleString("en"));

export const fmt = (template, values) =>
  String(template).replace(/\{([a-z_]+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

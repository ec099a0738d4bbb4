/**
 * The one way the views build DOM: elements from a tag, attributes and children, where every string
 * child becomes a text node. Autotask data is customer-written and hostile (a ticket title may be
 * `<img onerror=…>`), so no view ever parses markup — there is no innerHTML anywhere in src/ui/client.
 */

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

/**
 * `h("button", { class: "primary", onclick: save }, "Save")`. Function values named `on…` become
 * event listeners; `true` sets an empty attribute; false/null/undefined leave it out. An `on…`
 * attribute given as a string is refused: handlers are code, never text.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === "function") {
      if (!name.startsWith("on")) throw new Error(`h(): ${name} must not be a function`);
      element.addEventListener(name.slice(2), value);
    } else if (name.startsWith("on")) {
      throw new Error(`h(): event handler ${name} must be a function`);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children (nested arrays flattened); strings and numbers as text nodes. */
function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Element, ...children: Array<Child | Child[]>): void {
  parent.replaceChildren();
  append(parent, children);
}

let uid = 0;
/** A document-unique id for label/aria wiring. */
export function nextId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

export type Tone = "danger" | "warning" | "success" | "info" | undefined;

/** A small rounded label (status, priority, visibility); the tone adds colour, the text carries the meaning. */
export function chip(text: string, tone?: Tone, label?: string): HTMLSpanElement {
  return h("span", { class: tone ? `chip tone-${tone}` : "chip", title: label }, label ? h("span", { class: "sr-only" }, `${label}: `) : null, text);
}

/**
 * A message region. Errors are announced at once (role=alert), other outcomes politely
 * (role=status); `show` swaps the text in place so screen readers read the change.
 */
export function messageArea(): { element: HTMLDivElement; show(text: string, kind?: "ok" | "error" | "info"): void; clear(): void } {
  // tabindex=-1: a view may move focus here after an action, so keyboard users land on the outcome.
  const element = h("div", { hidden: true, tabindex: -1 });
  return {
    element,
    show(text, kind = "info") {
      element.hidden = false;
      element.className = `message ${kind}`;
      element.setAttribute("role", kind === "error" ? "alert" : "status");
      element.textContent = text;
    },
    clear() {
      element.hidden = true;
      element.textContent = "";
    },
  };
}

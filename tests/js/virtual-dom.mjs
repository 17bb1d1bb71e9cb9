/**
 * A tiny document for testing DOM code in node: elements with attributes, children and text,
 * and their serialisation as markup. Only what `web/svg-plot.mjs` calls is implemented.
 *
 * @module virtual-dom
 */

/** An element: a tag, attributes (in insertion order), children and text. */
export class VirtualElement {
  /**
   * @param {VirtualDocument} ownerDocument
   * @param {string} namespace
   * @param {string} tagName
   */
  constructor(ownerDocument, namespace, tagName) {
    this.ownerDocument = ownerDocument;
    this.namespaceURI = namespace;
    this.tagName = tagName;
    this.attributes = new Map();
    this.childNodes = [];
    this.parentNode = null;
    this.ownText = "";
    /** How many times each attribute was set (to check in-place updates). */
    this.writes = 0;
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
    this.writes += 1;
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  appendChild(child) {
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }

  get textContent() {
    return this.ownText + this.childNodes.map((child) => child.textContent).join("");
  }

  set textContent(text) {
    this.ownText = String(text);
    this.childNodes = [];
  }

  /** Every descendant (depth first) for which `test` is true. */
  findAll(test) {
    const found = [];
    for (const child of this.childNodes) {
      if (test(child)) found.push(child);
      found.push(...child.findAll(test));
    }
    return found;
  }

  /** Every descendant element whose `class` attribute is `name`. */
  byClass(name) {
    return this.findAll((element) => element.getAttribute("class") === name);
  }

  /** Markup of the element and its descendants. */
  get outerHTML() {
    const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
    const attributes = [...this.attributes].map(([name, value]) => ` ${name}="${escape(value)}"`).join("");
    const inner = escape(this.ownText) + this.childNodes.map((child) => child.outerHTML).join("");
    return `<${this.tagName}${attributes}>${inner}</${this.tagName}>`;
  }
}

/** A document that creates {@link VirtualElement}s and counts them. */
export class VirtualDocument {
  constructor() {
    this.created = 0;
  }

  createElementNS(namespace, tagName) {
    this.created += 1;
    return new VirtualElement(this, namespace, tagName);
  }
}

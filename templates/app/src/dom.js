// A tiny element builder: h("button", {class: "primary", onclick: go}, "Save"). No framework, no inline
// style (the Content-Security-Policy forbids it): look is in app.css, chosen by class names.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "value" || key === "checked" || key === "selected") el[key] = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace everything inside `root` with `children`. */
export function mount(root, ...children) {
  root.replaceChildren();
  append(root, children);
  return root;
}

let ids = 0;
/** A unique id, to tie a <label> to its field. */
export function uid(prefix = "f") {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled field: field(t("email"), h("input", {...})) - the label is tied to the control by id. */
export function field(label, control, hint) {
  const id = control.id || uid();
  control.id = id;
  const hintEl = hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hintEl);
}

/** A modal dialog (the native <dialog>: focus stays inside, Escape closes it). build(body, close) fills
 * it; close(value) closes it, and the returned promise resolves with that value (undefined on Escape). */
export function dialog(title, build, closeLabel = "Close") {
  const titleId = uid("dlg");
  const box = h("dialog", { class: "dialog", "aria-labelledby": titleId });
  let result;
  const close = (value) => { result = value; box.close(); };
  const body = h("div", { class: "dialog-body" });
  // Focus starts on the title (not on ×): the Enter that opened the dialog must not close it, and a
  // screen reader announces what opened.
  box.append(h("div", { class: "dialog-head" }, h("h2", { id: titleId, tabindex: "-1", autofocus: true }, title),
    h("button", { type: "button", class: "icon", "aria-label": closeLabel, onclick: () => close() }, "×")), body);
  document.body.append(box);
  const closed = new Promise((resolve) => box.addEventListener("close", () => { box.remove(); resolve(result); }));
  build(body, close);
  box.showModal();
  return closed;
}

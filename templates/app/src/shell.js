// The signed-in frame: navigation built from the screen registry (only the screens the level may use),
// hash routing (#/agenda, #/clients/cli_123), the language switch, toasts and sign-out.
import { ApiError, api, logout } from "./api.js";
import { h, mount } from "./dom.js";
import { formatters } from "./fmt.js";
import { LANGUAGES, SHELL, translator } from "./i18n.js";

/** The screens this principal may open: those whose `requires` action is in /admin/me's actions. */
export function allowedScreens(screens, me) {
  const actions = new Set(me.actions);
  return screens.filter((s) => [].concat(s.requires || []).every((a) => actions.has(a)))
    .sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || a.id.localeCompare(b.id));
}

/** The screen for a hash path and the rest of the path: "/clients/cli_1" -> [clients, ["cli_1"]]. */
export function route(screens, path) {
  const found = screens.find((s) => path === s.path || path.startsWith(`${s.path}/`));
  if (!found) return [null, []];
  return [found, path.slice(found.path.length).split("/").filter(Boolean).map(decodeURIComponent)];
}

export function startShell(root, { screens, all, me, business, lang, setLang, signedOut }) {
  const shellT = translator(lang, SHELL);
  // The browser's own variant of the chosen language when it has one (en-GB: a 24-hour clock).
  const browser = navigator.language || "";
  const fmt = formatters(browser.toLowerCase().startsWith(`${lang}-`) ? browser : lang, business.timezone, business.currency);
  const main = h("main", { id: "main", tabindex: "-1" });
  const toasts = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
  let cleanup = null;
  let landing = screens[0];
  let stopped = false;

  function toast(message, kind = "info") {
    let text = message;
    if (message instanceof ApiError || message instanceof Error) {
      kind = "error";
      if (message.status === 403) text = shellT("forbidden");
      else if (message.status === 0) text = shellT("network");
      else text = shellT("failed", { message: message.message });
    }
    const item = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : null }, text,
      h("button", { type: "button", class: "icon", "aria-label": shellT("close"), onclick: () => item.remove() }, "×"));
    toasts.append(item);
    setTimeout(() => item.remove(), kind === "error" ? 12000 : 5000);
  }

  const navigate = (path) => { location.hash = `#${path}`; };
  const links = screens.map((s) => h("a", { href: `#${s.path}`, dataset: { screen: s.id } },
    translator(lang, s.messages, SHELL)(s.nav)));
  const picker = h("select", { "aria-label": shellT("language"), onchange: (e) => setLang(e.target.value) },
    Object.entries(LANGUAGES).map(([code, name]) => h("option", { value: code, selected: code === lang, lang: code }, name)));

  async function show() {
    if (cleanup) { try { cleanup(); } catch (e) { /* a screen's clean-up must not block the next one */ } }
    cleanup = null;
    const path = location.hash.replace(/^#/, "") || (landing ? landing.path : "/");
    const [screen, params] = route(screens, path);
    links.forEach((a) => (a.dataset.screen === (screen && screen.id)
      ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current")));
    if (!screen) {
      const exists = route(all, path)[0];
      mount(main, h("h1", {}, exists ? shellT("forbidden") : shellT("no_screen")));
      return;
    }
    const t = translator(lang, screen.messages, SHELL);
    document.title = `${t(screen.nav)} · ${business.name}`;
    // Each visit renders into its own element: a screen still loading when the user moves on draws into
    // a detached element, never over the next screen, and its clean-up runs as soon as it returns.
    const view = h("div", { class: `screen screen-${screen.id}` });
    mount(main, view);
    const ctx = { api, t, fmt, me, business, navigate, toast, params, lang };
    try {
      const result = await screen.render(view, ctx);
      if (typeof result === "function") {
        if (view.isConnected) cleanup = result;
        else result();
      }
    } catch (error) {
      if (!view.isConnected) return;
      mount(view, h("h1", {}, t(screen.nav)), h("p", { class: "alert", role: "alert" },
        error.status === 403 ? t("forbidden") : error.status === 0 ? t("network") : t("failed", { message: error.message })));
    }
  }

  const signOut = h("button", { type: "button", class: "secondary", onclick: async () => {
    try { await logout(); } finally { signedOut(); }
  } }, shellT("sign_out"));
  mount(root,
    h("a", { class: "skip", href: "#main", onclick: (e) => { e.preventDefault(); main.focus(); } }, shellT("skip")),
    h("header", { class: "top" },
      h("span", { class: "brand" }, business.name),
      h("nav", { "aria-label": shellT("nav") }, links),
      h("div", { class: "who" }, h("span", { class: "muted" }, shellT("signed_in_as", { email: me.email, level: me.level })),
        picker, signOut)),
    main, toasts);
  // A screen may leave the navigation (and the landing) once it has nothing to offer, such as a finished
  // guided start: its `hidden({api, me, business})` resolves true. Asked once, before the first screen.
  Promise.all(screens.map((s) => (s.hidden ? s.hidden({ api, me, business }).catch(() => false) : false)))
    .then((hide) => {
      links.forEach((a, i) => hide[i] && a.remove());
      landing = screens.find((s, i) => !hide[i]);
    }).finally(() => {
      if (stopped) return;
      window.addEventListener("hashchange", show);
      show();
    });
  return () => {
    stopped = true;
    window.removeEventListener("hashchange", show);
    if (cleanup) cleanup();
  };
}

// Boot: sign in again from the refresh cookie if there is a live session, else the sign-in screen;
// then /admin/me (who, level, allowed actions) and /admin/business (language, time zone, currency).
import screens from "turno:screens";
import { api, refresh, whenSignedOut } from "./api.js";
import { h } from "./dom.js";
import { LANGUAGES, SHELL, language, translator } from "./i18n.js";
import { allowedScreens, startShell } from "./shell.js";
import { signInScreen } from "./signin.js";

const root = document.getElementById("app");
const CHOICE = "turno.language"; // only the language choice is remembered; tokens never touch storage
let stop = null;
let business = null;

function chosen() {
  try { return localStorage.getItem(CHOICE); } catch (e) { return null; }
}

function choose(code) {
  try { localStorage.setItem(CHOICE, code); } catch (e) { /* private mode: for this visit only */ }
}

function currentLanguage() {
  return language(chosen() || (business && business.locale) || navigator.language);
}

function showSignIn(notice) {
  if (stop) { stop(); stop = null; }
  const lang = currentLanguage();
  document.documentElement.lang = lang;
  const t = translator(lang, SHELL);
  const languagePicker = () => h("div", { class: "field lang" }, h("label", { for: "signin-lang" }, t("language")),
    h("select", { id: "signin-lang", onchange: (e) => { choose(e.target.value); showSignIn(); } },
      Object.entries(LANGUAGES).map(([code, name]) => h("option", { value: code, selected: code === lang, lang: code }, name))));
  signInScreen(root, { t, notice, languagePicker, done: start });
}

async function start() {
  let me;
  try {
    [me, business] = await Promise.all([api("GET", "/admin/me"), api("GET", "/admin/business")]);
  } catch (error) {
    showSignIn(error.message);
    return;
  }
  const lang = currentLanguage();
  document.documentElement.lang = lang;
  if (stop) stop();
  stop = startShell(root, {
    screens: allowedScreens(screens, me), all: screens, me, business, lang,
    setLang: (code) => { choose(code); start(); },
    signedOut: () => { location.hash = ""; showSignIn(); },
  });
}

whenSignedOut(() => showSignIn(translator(currentLanguage(), SHELL)("session_ended")));
refresh().then((live) => (live ? start() : showSignIn()), () => showSignIn());

// The sign-in screens: email and password, the first sign-in's new password, forgot password (a code
// by email, then a new password). Each is a plain form; errors are read out (role="alert").
import * as session from "./api.js";
import { field, h, mount } from "./dom.js";

const PASSWORD_RULES = { minlength: 12, maxlength: 256, autocomplete: "new-password", required: true };

export function signInScreen(root, { t, notice, languagePicker, done }) {
  const alert = h("p", { class: "alert", role: "alert" });
  const say = (text) => { alert.textContent = text || ""; };
  const frame = (title, ...content) => {
    mount(root, h("main", { id: "main", class: "signin" },
      h("div", { class: "signin-card" }, h("p", { class: "brand" }, "Turno"), h("h1", {}, title), alert, ...content,
        languagePicker())));
    const first = root.querySelector("input");
    if (first) first.focus();
  };
  const failure = (error) => say(error.status === 0 ? t("network") : error.message);

  function passwordForm() {
    const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true, maxlength: 254 });
    const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true, maxlength: 256 });
    const form = h("form", { class: "stack", onsubmit: async (event) => {
      event.preventDefault();
      say("");
      try {
        const result = await session.login(email.value.trim(), password.value);
        if (result.challenge) newPasswordForm(email.value.trim(), result.challenge);
        else done();
      } catch (error) { failure(error); }
    } }, field(t("email"), email), field(t("password"), password),
    h("button", { type: "submit", class: "primary" }, t("sign_in")),
    h("button", { type: "button", class: "link", onclick: () => forgotForm(email.value.trim()) }, t("forgot")));
    frame(t("sign_in"), form);
    say(notice || "");
    notice = null;
  }

  function newPasswordForm(email, challenge) {
    const password = h("input", { type: "password", name: "new_password", ...PASSWORD_RULES });
    frame(t("new_password_title"), h("form", { class: "stack", onsubmit: async (event) => {
      event.preventDefault();
      try {
        await session.setNewPassword(email, challenge, password.value);
        done();
      } catch (error) { failure(error); }
    } }, field(t("new_password"), password, t("password_hint")),
    h("button", { type: "submit", class: "primary" }, t("save_password"))));
  }

  function forgotForm(known) {
    const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true, value: known || "" });
    frame(t("forgot_title"), h("form", { class: "stack", onsubmit: async (event) => {
      event.preventDefault();
      try {
        await session.api("POST", "/auth/password/forgot", { email: email.value.trim() });
        codeForm(email.value.trim());
      } catch (error) { failure(error); }
    } }, field(t("email"), email), h("button", { type: "submit", class: "primary" }, t("send_code")),
    h("button", { type: "button", class: "link", onclick: passwordForm }, t("back"))));
  }

  function codeForm(email) {
    const code = h("input", { type: "text", name: "code", inputmode: "numeric", autocomplete: "one-time-code", required: true, maxlength: 64 });
    const password = h("input", { type: "password", name: "new_password", ...PASSWORD_RULES });
    frame(t("forgot_title"), h("form", { class: "stack", onsubmit: async (event) => {
      event.preventDefault();
      try {
        await session.api("POST", "/auth/password/confirm", { email, code: code.value.trim(), new_password: password.value });
        notice = t("reset_done");
        passwordForm();
      } catch (error) { failure(error); }
    } }, field(t("code"), code), field(t("new_password"), password, t("password_hint")),
    h("button", { type: "submit", class: "primary" }, t("reset")),
    h("button", { type: "button", class: "link", onclick: passwordForm }, t("back"))));
    say(t("code_sent"));
  }

  passwordForm();
}

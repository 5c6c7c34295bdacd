// What the clients, settings and audit screens share: an API error shown beside the field it names,
// a form that saves through the API, weekly hours and time off as rows of inputs. Not a screen (the
// build registers only src/screens/*.js); its look is parts/screens.css.
import "./screens.css";
import { h, uid } from "../../dom.js";

/** The control an API error's field names ("booking_rules.horizon_days", "opening_hours.mon[0]",
 * "time_off[1].end"): the control named so, else the nearest named path above it. */
function controlFor(form, field) {
  let path = field;
  while (path) {
    const found = [...form.querySelectorAll("[name], [data-field]")]
      .find((el) => el.getAttribute("name") === path || el.dataset.field === path);
    if (found) return found;
    const shorter = path.replace(/(\[\d+\]|\.[^.[\]]+)$/, "");
    if (shorter === path) break;
    path = shorter;
  }
  return null;
}

export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((el) => el.remove());
  form.querySelectorAll("[aria-invalid]").forEach((el) => {
    el.removeAttribute("aria-invalid");
    const rest = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.startsWith("err-"));
    if (rest.length) el.setAttribute("aria-describedby", rest.join(" "));
    else el.removeAttribute("aria-describedby");
  });
  const alert = form.querySelector(":scope > .alert");
  if (alert) alert.textContent = "";
}

/** A 400/409/422 beside its field (or in the form's alert); anything else (403, network) as a toast. */
export function showError(form, error, toast) {
  if (![400, 404, 409, 422].includes(error.status)) { toast(error); return; }
  const control = error.field ? controlFor(form, error.field) : null;
  if (!control) {
    const alert = form.querySelector(":scope > .alert");
    if (alert) alert.textContent = error.message; else toast(error);
    return;
  }
  const id = uid("err");
  const note = h("p", { class: "field-error", id }, error.message);
  control.setAttribute("aria-invalid", "true");
  control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
  (control.closest(".field") || control.parentElement).append(note);
  if (typeof control.focus === "function") control.focus();
}

/** A form that runs `save()` on submit: errors beside their fields, the submit button busy meanwhile. */
export function apiForm(ctx, attrs, save, ...children) {
  const form = h("form", { ...attrs, novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    clearErrors(form);
    const buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await save(form);
    } catch (error) {
      showError(form, error, ctx.toast);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  } }, h("p", { class: "alert", role: "alert" }), ...children);
  return form;
}

/** A form's named controls as {name: value}; numbers as numbers, checkboxes as booleans, "" as null. */
export function values(form, names) {
  const out = {};
  for (const name of names) {
    const el = form.elements.namedItem(name);
    if (!el) continue;
    if (el.type === "checkbox") out[name] = el.checked;
    else if (el.type === "number") out[name] = el.value === "" ? null : Number(el.value);
    else out[name] = el.value.trim() === "" ? null : el.value.trim();
  }
  return out;
}

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** "Monday" in the screen's language (1 January 2024 was a Monday). */
export function weekdayName(lang, i) {
  return new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + i)));
}

/** Weekly hours as one row a day: open or not, from, to, and one break. The API's shape is a list of
 * intervals a day; a break is the gap between two of them. `value()` gives that shape back. */
export function weekEditor(ctx, hours, name) {
  const rows = WEEKDAYS.map((day, i) => {
    const intervals = (hours && hours[day]) || [];
    const first = intervals[0];
    const last = intervals[intervals.length - 1];
    const day_ = weekdayName(ctx.lang, i);
    const time = (label, value) => h("input", { type: "time", step: 300, value: value || "", "aria-label": `${day_}: ${label}` });
    const open = h("input", { type: "checkbox", checked: intervals.length > 0, "aria-label": `${day_}: ${ctx.t("open")}` });
    const cells = {
      from: time(ctx.t("from"), first && first[0]), to: time(ctx.t("to"), last && last[1]),
      breakFrom: time(ctx.t("break_from"), intervals.length > 1 ? intervals[0][1] : ""),
      breakTo: time(ctx.t("break_to"), intervals.length > 1 ? intervals[1][0] : ""),
    };
    const sync = () => Object.values(cells).forEach((c) => { c.disabled = !open.checked; });
    open.addEventListener("change", sync);
    sync();
    const row = h("tr", { "data-field": `${name}.${day}` }, h("th", { scope: "row" }, day_), h("td", {}, open),
      h("td", {}, cells.from), h("td", {}, cells.to), h("td", { class: "break" }, cells.breakFrom, " – ", cells.breakTo));
    return { day, open, cells, row };
  });
  const table = h("table", { class: "grid week", "data-field": name },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ctx.t("day")), h("th", { scope: "col" }, ctx.t("open")),
      h("th", { scope: "col" }, ctx.t("from")), h("th", { scope: "col" }, ctx.t("to")),
      h("th", { scope: "col" }, ctx.t("break")))),
    h("tbody", {}, rows.map((r) => r.row)));
  return {
    el: table,
    value() {
      const out = {};
      for (const { day, open, cells } of rows) {
        if (!open.checked) continue;
        const { from, to, breakFrom, breakTo } = cells;
        out[day] = breakFrom.value && breakTo.value
          ? [[from.value, breakFrom.value], [breakTo.value, to.value]] : [[from.value, to.value]];
      }
      return out;
    },
  };
}

/** Periods off (instants in the API) as rows of the business's wall-clock date-times. */
export function timeOffEditor(ctx, periods, name) {
  const body = h("tbody");
  const add = (period) => {
    const at = (instant, label) => h("input", { type: "datetime-local", step: 60, "aria-label": label,
      value: instant ? ctx.fmt.wallClock(instant).slice(0, 16) : "" });
    const start = at(period && period.start, ctx.t("off_from"));
    const end = at(period && period.end, ctx.t("off_until"));
    const row = h("tr", {}, h("td", {}, start), h("td", {}, end), h("td", {},
      h("button", { type: "button", class: "link", onclick: () => row.remove() }, ctx.t("remove"))));
    row.read = () => ({ start: start.value, end: end.value });
    body.append(row);
    return row;
  };
  (periods || []).forEach(add);
  const el = h("div", { "data-field": name },
    h("table", { class: "grid timeoff" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ctx.t("off_from")),
      h("th", { scope: "col" }, ctx.t("off_until")), h("th", {}, h("span", { class: "sr" }, ctx.t("remove"))))), body),
    h("button", { type: "button", onclick: () => add(null).querySelector("input").focus() }, ctx.t("add_time_off")));
  return {
    el,
    value: () => [...body.children].map((row) => row.read()).filter((p) => p.start || p.end)
      .map((p) => ({ start: p.start && ctx.fmt.instantAt(p.start).toISOString(), end: p.end && ctx.fmt.instantAt(p.end).toISOString() })),
  };
}

/** Words the editors above use, in the five languages (screens merge these into their own). */
export const EDITOR_WORDS = {
  en: { day: "Day", open: "Open", from: "From", to: "To", break: "Break", break_from: "break from", break_to: "break until",
    off_from: "Off from", off_until: "Until", remove: "Remove", add_time_off: "Add time off" },
  es: { day: "Día", open: "Abierto", from: "Desde", to: "Hasta", break: "Pausa", break_from: "pausa desde", break_to: "pausa hasta",
    off_from: "Ausente desde", off_until: "Hasta", remove: "Quitar", add_time_off: "Añadir ausencia" },
  it: { day: "Giorno", open: "Aperto", from: "Dalle", to: "Alle", break: "Pausa", break_from: "pausa dalle", break_to: "pausa fino alle",
    off_from: "Assente dal", off_until: "Fino al", remove: "Rimuovi", add_time_off: "Aggiungi assenza" },
  cs: { day: "Den", open: "Otevřeno", from: "Od", to: "Do", break: "Přestávka", break_from: "přestávka od", break_to: "přestávka do",
    off_from: "Volno od", off_until: "Do", remove: "Odebrat", add_time_off: "Přidat volno" },
  et: { day: "Päev", open: "Avatud", from: "Alates", to: "Kuni", break: "Paus", break_from: "paus alates", break_to: "paus kuni",
    off_from: "Vaba alates", off_until: "Kuni", remove: "Eemalda", add_time_off: "Lisa vaba aeg" },
};

/** A screen's messages with the editors' words merged in. */
export function withEditorWords(messages) {
  return Object.fromEntries(Object.entries(messages).map(([lang, words]) => [lang, { ...EDITOR_WORDS[lang], ...words }]));
}

// Desks (every level reads; 1-2 edit): wash basins, colour stations, rooms, counters. Each has a number,
// an operator or a description, the services it can take, weekly hours and holidays; it can be closed.
// Closing it or adding holidays over appointments lists them, with the choice to move them to another
// free desk or cancel them (parts/covering.js).
import { dialog, field, h, mount } from "../dom.js";
import { covering, withChoice, withCoveringWords } from "./parts/covering.js";
import { apiForm, weekEditor, withEditorWords } from "./parts/forms.js";

const checked = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);

/** Holidays as rows: first day, last day, every year. `value()` gives the API's list back. */
function holidayEditor(ctx, holidays) {
  const body = h("tbody");
  const add = (holiday) => {
    const index = body.children.length;
    const first = h("input", { type: "date", value: (holiday && holiday.first) || "", "aria-label": ctx.t("first") });
    const last = h("input", { type: "date", value: (holiday && holiday.last) || "", "aria-label": ctx.t("last") });
    const yearly = h("input", { type: "checkbox", checked: Boolean(holiday && holiday.yearly), "aria-label": ctx.t("yearly") });
    const row = h("tr", { "data-field": `holidays[${index}]` }, h("td", { "data-field": `holidays[${index}].first` }, first),
      h("td", { "data-field": `holidays[${index}].last` }, last), h("td", {}, yearly),
      h("td", {}, h("button", { type: "button", class: "link", onclick: () => row.remove() }, ctx.t("remove"))));
    row.read = () => ({ first: first.value, last: last.value || first.value, yearly: yearly.checked });
    body.append(row);
    return row;
  };
  (holidays || []).forEach(add);
  return {
    el: h("div", { "data-field": "holidays" },
      h("table", { class: "grid holidays" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ctx.t("first")),
        h("th", { scope: "col" }, ctx.t("last")), h("th", { scope: "col" }, ctx.t("yearly")),
        h("th", { scope: "col" }, h("span", { class: "sr" }, ctx.t("remove"))))), body),
      h("button", { type: "button", onclick: () => add(null).querySelector("input").focus() }, ctx.t("add_holiday"))),
    value: () => [...body.children].map((row) => row.read()).filter((x) => x.first),
  };
}

function deskForm(ctx, desk, staff, services, save) {
  const { t } = ctx;
  const week = weekEditor(ctx, desk ? desk.hours : {}, "hours");
  const holidays = holidayEditor(ctx, desk ? desk.holidays : []);
  const able = new Set((desk && desk.services) || []);
  const form = apiForm(ctx, { class: "stack" }, (f) => save(f, {
    number: Number(f.elements.namedItem("number").value),
    operator: f.elements.namedItem("operator").value || null,
    description: f.elements.namedItem("description").value.trim(),
    services: checked(f, "services"), hours: week.value(), holidays: holidays.value(),
  }),
  h("div", { class: "form-grid" },
    field(t("number"), h("input", { type: "number", name: "number", min: 1, max: 9999, required: true, value: desk ? desk.number : "" })),
    field(t("operator"), h("select", { name: "operator" }, h("option", { value: "" }, t("no_operator")),
      staff.map((m) => h("option", { value: m.id, selected: Boolean(desk && desk.operator === m.id) }, m.name)))),
    field(t("description"), h("input", { name: "description", maxlength: 120, value: (desk && desk.description) || "" }),
      t("operator_or_description"))),
  h("fieldset", { "data-field": "services" }, h("legend", {}, t("services")),
    services.length ? services.map((s) => h("div", { class: "check" },
      h("input", { type: "checkbox", id: `dsk-svc-${s.id}`, name: "services", value: s.id, checked: able.has(s.id) }),
      h("label", { for: `dsk-svc-${s.id}` }, s.name))) : h("p", { class: "muted" }, t("no_services"))),
  h("fieldset", {}, h("legend", {}, t("hours")), week.el),
  h("fieldset", {}, h("legend", {}, t("holidays")), holidays.el),
  h("div", { class: "conflicts" }),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("save"))));
  return form;
}

export default {
  id: "desks",
  path: "/desks",
  nav: "nav",
  requires: "desks.read",
  order: 45,
  messages: withCoveringWords(withEditorWords({
    en: { nav: "Desks", new_desk: "New desk", edit: "Edit", edit_title: "Desk {name}", number: "Number",
      operator: "Operator", no_operator: "No operator", description: "Description", services: "Services it takes",
      operator_or_description: "An operator, or a description of the desk.", no_services: "No services yet.",
      hours: "Weekly hours", holidays: "Holidays", first: "First day", last: "Last day", yearly: "Every year",
      add_holiday: "Add holiday", state: "State", open_state: "Open", closed_state: "Closed", close_desk: "Close",
      open_desk: "Open", none: "No desks yet: add the first one.", saved: "Saved.", closed_done: "Desk {name} is closed.",
      opened_done: "Desk {name} is open.", move_them: "Move them to another free desk and save", actions: "Actions" },
    es: { nav: "Puestos", new_desk: "Nuevo puesto", edit: "Editar", edit_title: "Puesto {name}", number: "Número",
      operator: "Operador", no_operator: "Sin operador", description: "Descripción", services: "Servicios que admite",
      operator_or_description: "Un operador o una descripción del puesto.", no_services: "Aún no hay servicios.",
      hours: "Horario semanal", holidays: "Vacaciones", first: "Primer día", last: "Último día", yearly: "Cada año",
      add_holiday: "Añadir vacaciones", state: "Estado", open_state: "Abierto", closed_state: "Cerrado", close_desk: "Cerrar",
      open_desk: "Abrir", none: "Aún no hay puestos: añade el primero.", saved: "Guardado.", closed_done: "El puesto {name} está cerrado.",
      opened_done: "El puesto {name} está abierto.", move_them: "Moverlas a otro puesto libre y guardar", actions: "Acciones" },
    it: { nav: "Postazioni", new_desk: "Nuova postazione", edit: "Modifica", edit_title: "Postazione {name}", number: "Numero",
      operator: "Operatore", no_operator: "Nessun operatore", description: "Descrizione", services: "Servizi che esegue",
      operator_or_description: "Un operatore oppure una descrizione della postazione.", no_services: "Ancora nessun servizio.",
      hours: "Orario settimanale", holidays: "Ferie", first: "Primo giorno", last: "Ultimo giorno", yearly: "Ogni anno",
      add_holiday: "Aggiungi ferie", state: "Stato", open_state: "Aperta", closed_state: "Chiusa", close_desk: "Chiudi",
      open_desk: "Apri", none: "Ancora nessuna postazione: aggiungi la prima.", saved: "Salvato.",
      closed_done: "La postazione {name} è chiusa.", opened_done: "La postazione {name} è aperta.",
      move_them: "Spostali su un'altra postazione libera e salva", actions: "Azioni" },
    cs: { nav: "Pracoviště", new_desk: "Nové pracoviště", edit: "Upravit", edit_title: "Pracoviště {name}", number: "Číslo",
      operator: "Obsluha", no_operator: "Bez obsluhy", description: "Popis", services: "Služby, které zvládne",
      operator_or_description: "Obsluha, nebo popis pracoviště.", no_services: "Zatím žádné služby.",
      hours: "Týdenní hodiny", holidays: "Dovolená", first: "První den", last: "Poslední den", yearly: "Každý rok",
      add_holiday: "Přidat dovolenou", state: "Stav", open_state: "Otevřeno", closed_state: "Zavřeno", close_desk: "Zavřít",
      open_desk: "Otevřít", none: "Zatím žádná pracoviště: přidejte první.", saved: "Uloženo.",
      closed_done: "Pracoviště {name} je zavřené.", opened_done: "Pracoviště {name} je otevřené.",
      move_them: "Přesunout je na jiné volné pracoviště a uložit", actions: "Akce" },
    et: { nav: "Töökohad", new_desk: "Uus töökoht", edit: "Muuda", edit_title: "Töökoht {name}", number: "Number",
      operator: "Teenindaja", no_operator: "Teenindajata", description: "Kirjeldus", services: "Teenused, mida see võtab",
      operator_or_description: "Teenindaja või töökoha kirjeldus.", no_services: "Teenuseid veel pole.",
      hours: "Nädala lahtiolekuajad", holidays: "Puhkused", first: "Esimene päev", last: "Viimane päev", yearly: "Igal aastal",
      add_holiday: "Lisa puhkus", state: "Olek", open_state: "Avatud", closed_state: "Suletud", close_desk: "Sulge",
      open_desk: "Ava", none: "Töökohti veel pole: lisa esimene.", saved: "Salvestatud.", closed_done: "Töökoht {name} on suletud.",
      opened_done: "Töökoht {name} on avatud.", move_them: "Vii need teisele vabale töökohale ja salvesta", actions: "Toimingud" },
  })),

  async render(root, ctx) {
    const { t, api, toast } = ctx;
    const writes = ctx.me.actions.includes("desks.write");
    const [{ desks }, { staff }, { services }] = await Promise.all([api("GET", "/admin/desks"),
      api("GET", "/admin/staff"), api("GET", "/admin/services").catch(() => ({ services: [] }))]);
    const names = Object.fromEntries(staff.map((m) => [m.id, m.name]));
    const serviceNames = Object.fromEntries(services.map((s) => [s.id, s.name]));
    const reload = () => this.render(root, ctx).catch(toast);
    const path = (desk) => `/admin/desks/${encodeURIComponent(desk.id)}`;

    // a change over appointments: their list, and the choice to move them or cancel them
    const send = (form, desk, body) => covering(ctx, form.querySelector(".conflicts"),
      (choice) => api(desk ? "PATCH" : "POST", desk ? path(desk) : "/admin/desks", withChoice(body, choice)), ["move", "cancel"]);

    const open = (desk) => dialog(desk ? t("edit_title", { name: desk.name }) : t("new_desk"), (body, close) => {
      body.parentElement.classList.add("wide");
      body.append(deskForm(ctx, desk, staff, services, async (form, values) => {
        await send(form, desk, values);
        close();
        toast(t("saved"), "ok");
        reload();
      }));
    }, t("close"));

    const toggle = (desk) => dialog(desk.name, (body, close) => {
      const where = h("div", { class: "conflicts" });
      body.append(where);
      covering(ctx, where, (choice) => api("PATCH", path(desk), withChoice({ open: !desk.open }, choice)), ["move", "cancel"])
        .then(() => { close(); toast(t(desk.open ? "closed_done" : "opened_done", { name: desk.name }), "ok"); reload(); },
          (error) => { close(); toast(error); });
    }, t("close"));

    mount(root, h("div", { class: "toolbar" }, h("h1", {}, t("nav")),
      writes && h("button", { type: "button", class: "primary", onclick: () => open(null) }, t("new_desk"))),
    desks.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid desks" },
      h("thead", {}, h("tr", {}, ["number", "description", "operator", "services", "state"]
        .map((k) => h("th", { scope: "col" }, t(k))), writes && h("th", { scope: "col" }, t("actions")))),
      h("tbody", {}, desks.map((d) => h("tr", { dataset: { desk: d.id } },
        h("th", { scope: "row" }, d.number), h("td", {}, d.description), h("td", {}, names[d.operator] || ""),
        h("td", {}, d.services.map((id) => serviceNames[id] || id).join(", ")),
        h("td", {}, h("span", { class: `badge ${d.open ? "desk-open" : "desk-closed"}` }, t(d.open ? "open_state" : "closed_state"))),
        writes && h("td", {},
          h("button", { type: "button", "aria-label": t("edit_title", { name: d.name }), onclick: () => open(d) }, t("edit")), " ",
          h("button", { type: "button", dataset: { toggle: d.id }, onclick: () => toggle(d) }, t(d.open ? "close_desk" : "open_desk"))))))))
      : h("p", { class: "muted" }, t("none")));
  },
};

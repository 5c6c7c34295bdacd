// Calendar (special days): the business's closures (one entry for everyone, optionally every year) and
// special hours of a date for the business or one professional. A change that covers appointments comes
// back as 409 `appointments_affected` with their list: the dialog shows it and offers to cancel them.
import { dialog, field, h, mount } from "../dom.js";
import { covering, withChoice, withCoveringWords } from "./parts/covering.js";
import { apiForm, values } from "./parts/forms.js";

const COPY = {
  en: { nav: "Calendar", closures: "Closures", special_hours: "Special hours", add_closure: "Add a closure",
    add_hours: "Set special hours", name: "Name", first_day: "First day", last_day: "Last day (optional)",
    yearly: "Every year", dates: "Dates", for: "For", hours: "Hours", whole_business: "The whole business",
    closed: "Closed", closed_all_day: "Closed all day", from: "From", to: "To", second: "Then from (optional)",
    second_to: "Until (optional)", date: "Date", remove: "Remove", remove_named: "Remove {name}",
    none_closures: "No closures yet.", none_hours: "No special hours yet.", yes: "Yes", no: "No",
    saved: "Saved.", saved_cancelled: "Saved; {n} appointment(s) cancelled and their clients told.",
    removed: "Removed." },
  es: { nav: "Calendario", closures: "Cierres", special_hours: "Horarios especiales", add_closure: "Añadir un cierre",
    add_hours: "Fijar un horario especial", name: "Nombre", first_day: "Primer día", last_day: "Último día (opcional)",
    yearly: "Todos los años", dates: "Fechas", for: "Para", hours: "Horario", whole_business: "Todo el negocio",
    closed: "Cerrado", closed_all_day: "Cerrado todo el día", from: "Desde", to: "Hasta", second: "Luego desde (opcional)",
    second_to: "Hasta (opcional)", date: "Fecha", remove: "Quitar", remove_named: "Quitar {name}",
    none_closures: "Aún no hay cierres.", none_hours: "Aún no hay horarios especiales.", yes: "Sí", no: "No",
    saved: "Guardado.", saved_cancelled: "Guardado; {n} cita(s) cancelada(s) y sus clientes avisados.",
    removed: "Quitado." },
  it: { nav: "Calendario", closures: "Chiusure", special_hours: "Orari speciali", add_closure: "Aggiungi una chiusura",
    add_hours: "Imposta un orario speciale", name: "Nome", first_day: "Primo giorno", last_day: "Ultimo giorno (facoltativo)",
    yearly: "Ogni anno", dates: "Date", for: "Per", hours: "Orario", whole_business: "Tutta l'attività",
    closed: "Chiuso", closed_all_day: "Chiuso tutto il giorno", from: "Dalle", to: "Alle", second: "Poi dalle (facoltativo)",
    second_to: "Alle (facoltativo)", date: "Data", remove: "Rimuovi", remove_named: "Rimuovi {name}",
    none_closures: "Ancora nessuna chiusura.", none_hours: "Ancora nessun orario speciale.", yes: "Sì", no: "No",
    saved: "Salvato.", saved_cancelled: "Salvato; {n} appuntamento/i annullato/i e clienti avvisati.",
    removed: "Rimosso." },
  cs: { nav: "Kalendář", closures: "Zavřeno", special_hours: "Zvláštní otevírací doba", add_closure: "Přidat zavřeno",
    add_hours: "Nastavit zvláštní dobu", name: "Název", first_day: "První den", last_day: "Poslední den (nepovinné)",
    yearly: "Každý rok", dates: "Data", for: "Pro", hours: "Doba", whole_business: "Celou provozovnu",
    closed: "Zavřeno", closed_all_day: "Celý den zavřeno", from: "Od", to: "Do", second: "Pak od (nepovinné)",
    second_to: "Do (nepovinné)", date: "Datum", remove: "Odebrat", remove_named: "Odebrat {name}",
    none_closures: "Zatím nic.", none_hours: "Zatím žádná zvláštní doba.", yes: "Ano", no: "Ne",
    saved: "Uloženo.", saved_cancelled: "Uloženo; zrušeno rezervací: {n}, klienti dostali zprávu.",
    removed: "Odebráno." },
  et: { nav: "Kalender", closures: "Suletud päevad", special_hours: "Erilahtiolekuajad", add_closure: "Lisa suletud päev",
    add_hours: "Määra erilahtiolekuaeg", name: "Nimi", first_day: "Esimene päev", last_day: "Viimane päev (valikuline)",
    yearly: "Igal aastal", dates: "Kuupäevad", for: "Kellele", hours: "Aeg", whole_business: "Kogu ettevõte",
    closed: "Suletud", closed_all_day: "Terve päev suletud", from: "Alates", to: "Kuni", second: "Siis alates (valikuline)",
    second_to: "Kuni (valikuline)", date: "Kuupäev", remove: "Eemalda", remove_named: "Eemalda {name}",
    none_closures: "Suletud päevi veel pole.", none_hours: "Erilahtiolekuaegu veel pole.", yes: "Jah", no: "Ei",
    saved: "Salvestatud.", saved_cancelled: "Salvestatud; tühistatud broneeringuid: {n}, kliente teavitati.",
    removed: "Eemaldatud." },
};

function interval(from, to) {
  return from && to ? [from, to] : null;
}

export default {
  id: "calendar",
  path: "/calendar",
  nav: "nav",
  requires: "calendar.read",
  order: 55,
  messages: withCoveringWords(COPY),

  async render(root, ctx) {
    const { t, api, fmt, toast, me } = ctx;
    const writes = (me.actions || []).includes("calendar.write");
    const [{ closures, special_hours: specials }, { staff }] = await Promise.all([
      api("GET", "/admin/calendar"), api("GET", "/admin/staff")]);
    const reload = () => this.render(root, ctx).catch(toast);
    const done = (answer, close) => {
      const n = (answer && answer.cancelled && answer.cancelled.length) || 0;
      close();
      toast(n ? t("saved_cancelled", { n }) : t("saved"), "ok");
      reload();
    };

    const addClosure = () => dialog(t("add_closure"), (body, close) => {
      const conflicts = h("div", { class: "conflicts" });
      body.append(apiForm(ctx, { class: "stack" }, async (form) => {
        const sent = values(form, ["name", "first_day", "last_day", "yearly"]);
        const answer = await covering(ctx, conflicts, (onConflict) => api("POST", "/admin/calendar/closures",
          withChoice(sent, onConflict)));
        done(answer, close);
      },
      h("div", { class: "form-grid" },
        field(t("name"), h("input", { name: "name", required: true, maxlength: 80 })),
        field(t("first_day"), h("input", { type: "date", name: "first_day", required: true })),
        field(t("last_day"), h("input", { type: "date", name: "last_day" }))),
      h("div", { class: "check" }, h("input", { type: "checkbox", id: "closure-yearly", name: "yearly" }),
        h("label", { for: "closure-yearly" }, t("yearly"))),
      conflicts,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("save")))));
    }, t("close"));

    const addHours = () => dialog(t("add_hours"), (body, close) => {
      const conflicts = h("div", { class: "conflicts" });
      const time = (name, label) => field(t(label), h("input", { type: "time", step: 300, name }));
      body.append(apiForm(ctx, { class: "stack" }, async (form) => {
        const v = values(form, ["date", "name", "who", "closed", "from1", "to1", "from2", "to2"]);
        const hours = v.closed ? [] : [interval(v.from1, v.to1), interval(v.from2, v.to2)].filter(Boolean);
        const sent = { date: v.date, hours, name: v.name || "", resource: v.who ? { kind: "staff", id: v.who } : null };
        const answer = await covering(ctx, conflicts, (onConflict) => api("PUT", "/admin/calendar/special-hours",
          withChoice(sent, onConflict)));
        done(answer, close);
      },
      h("div", { class: "form-grid" },
        field(t("date"), h("input", { type: "date", name: "date", required: true })),
        field(t("for"), h("select", { name: "who" }, h("option", { value: "" }, t("whole_business")),
          staff.filter((m) => m.services.length).map((m) => h("option", { value: m.id }, m.name)))),
        field(t("name"), h("input", { name: "name", maxlength: 80 })),
        time("from1", "from"), time("to1", "to"), time("from2", "second"), time("to2", "second_to")),
      h("div", { class: "check", "data-field": "hours" }, h("input", { type: "checkbox", id: "hours-closed", name: "closed" }),
        h("label", { for: "hours-closed" }, t("closed_all_day"))),
      conflicts,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("save")))));
    }, t("close"));

    const removeClosure = (closure) => api("DELETE", `/admin/calendar/closures/${encodeURIComponent(closure.id)}`)
      .then(() => { toast(t("removed"), "ok"); reload(); }, toast);
    const removeHours = (entry) => {
      const send = (onConflict) => api("DELETE", `/admin/calendar/special-hours/${encodeURIComponent(entry.id)}` +
        (onConflict ? `?on_conflict=${onConflict}` : ""));
      send(null).then((answer) => done(answer, () => {})).catch((error) => {
        if (error.code !== "appointments_affected") { toast(error); return; }
        dialog(t("remove_named", { name: entry.name || entry.date }), (body, close) => {
          const conflicts = h("div", { class: "conflicts" });
          body.append(conflicts);
          covering(ctx, conflicts, (onConflict) => (onConflict ? send(onConflict) : Promise.reject(error)))
            .then((answer) => done(answer, close), toast);
        }, t("close"));
      });
    };

    const calendarDay = new Intl.DateTimeFormat(fmt.locale, { dateStyle: "medium", timeZone: "UTC" });
    const day = (iso) => calendarDay.format(new Date(`${iso}T00:00:00Z`)); // a date, not an instant
    const whom = (entry) => (entry.resource ? entry.resource.name || entry.resource.id : t("whole_business"));
    const hoursText = (entry) => (entry.hours.length ? entry.hours.map((p) => p.join("–")).join(", ") : t("closed"));
    const dates = (c) => (c.first_day === c.last_day ? day(c.first_day) : `${day(c.first_day)} – ${day(c.last_day)}`);
    const removeButton = (label, onclick) => (writes
      ? h("td", {}, h("button", { type: "button", "aria-label": label, onclick }, t("remove"))) : null);

    mount(root, h("div", { class: "toolbar" }, h("h1", {}, t("nav"))),
      h("section", { "aria-labelledby": "cal-closures" },
        h("div", { class: "toolbar" }, h("h2", { id: "cal-closures" }, t("closures")),
          writes ? h("button", { type: "button", class: "primary", onclick: addClosure }, t("add_closure")) : null),
        closures.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid closures" },
          h("thead", {}, h("tr", {}, ["name", "dates", "yearly"].map((k) => h("th", { scope: "col" }, t(k))),
            writes ? h("th", { scope: "col" }, h("span", { class: "sr" }, t("remove"))) : null)),
          h("tbody", {}, closures.map((c) => h("tr", { dataset: { closure: c.id } },
            h("th", { scope: "row" }, c.name), h("td", {}, dates(c)), h("td", {}, c.yearly ? t("yes") : t("no")),
            removeButton(t("remove_named", { name: c.name }), () => removeClosure(c)))))))
          : h("p", { class: "muted" }, t("none_closures"))),
      h("section", { "aria-labelledby": "cal-hours" },
        h("div", { class: "toolbar" }, h("h2", { id: "cal-hours" }, t("special_hours")),
          writes ? h("button", { type: "button", class: "primary", onclick: addHours }, t("add_hours")) : null),
        specials.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid special-hours" },
          h("thead", {}, h("tr", {}, ["date", "for", "hours", "name"].map((k) => h("th", { scope: "col" }, t(k))),
            writes ? h("th", { scope: "col" }, h("span", { class: "sr" }, t("remove"))) : null)),
          h("tbody", {}, specials.map((s) => h("tr", { dataset: { hours: s.id } },
            h("th", { scope: "row" }, day(s.date)), h("td", {}, whom(s)), h("td", {}, hoursText(s)),
            h("td", {}, s.name), removeButton(t("remove_named", { name: s.name || s.date }), () => removeHours(s)))))))
          : h("p", { class: "muted" }, t("none_hours"))));
  },
};

// The waiting list: requests oldest first with filters, add one (one to three services, done one after the
// other), edit it, book it into a free time, cancel, each request's offer history, and the month's fill
// rate and median time to fill.
import { h, field, mount, dialog } from "../dom.js";
import { apiForm, values } from "./parts/forms.js";
import { SUGGESTION_MESSAGES, suggestionsSection } from "./waitlist/suggestions.js";

const STATUSES = ["waiting", "offered", "booked", "expired", "cancelled"];
const OPEN = ["waiting", "offered"];

const name = (c) => [c.first_name, c.last_name].filter(Boolean).join(" ");
const MAX_SERVICES = 3;
const servicesOf = (r) => r.services || [r.service];

// One select per service, in the order they are done: the first required, the others optional ("—").
function servicePickers(t, catalog, chosen = []) {
  return Array.from({ length: MAX_SERVICES }, (_, n) => field(n ? t("then") : t("service"),
    h("select", { name: `service${n}`, "data-field": n ? `services.${n}` : "services" },
      n ? h("option", { value: "" }, t("no_more")) : null,
      catalog.services.map((s) => h("option", { value: s.id, selected: s.id === chosen[n] }, s.name)))));
}

const chosenServices = (f) => Array.from({ length: MAX_SERVICES }, (_, n) => values(f, [`service${n}`])[`service${n}`])
  .filter(Boolean);

const W = {
  en: { actions: "Actions", nav: "Waiting list", add: "Add request", status: "Status", all: "All", service: "Service", staff: "Professional",
    anyone: "Anyone", search: "Name, email or phone", filter: "Filter", client: "Client", windows: "When", created: "Added",
    none: "Nobody is waiting.", first_name: "First name", last_name: "Last name", email: "Email", phone: "Phone",
    from: "From", to: "To", start: "From time", end: "To time", notes: "Notes", save: "Save", book: "Book",
    cancel: "Take off the list", history: "Offers", start_at: "Start", booked: "Booked: {reference}",
    cancelled: "Taken off the list", added: "Added to the waiting list", no_offers: "No offers yet.",
    round: "Round", outcome: "Outcome", offered_at: "Offered", more: "Show more", figures: "This month",
    fill_rate: "Filled: {filled} of {openings} freed times ({rate})", median: "Median time to fill: {minutes} min",
    no_figures: "No freed time was offered this month.",
    s_waiting: "waiting", s_offered: "offered", s_booked: "booked", s_expired: "expired", s_cancelled: "cancelled",
    o_accepted: "accepted", o_declined: "declined", o_expired: "no answer", o_missed: "missed", o_open: "waiting for an answer",
    then: "Then", no_more: "—", edit: "Edit", saved: "Saved" },
  es: { actions: "Acciones", nav: "Lista de espera", add: "Añadir solicitud", status: "Estado", all: "Todas", service: "Servicio",
    staff: "Profesional", anyone: "Cualquiera", search: "Nombre, email o teléfono", filter: "Filtrar", client: "Cliente",
    windows: "Cuándo", created: "Añadida", none: "No hay nadie esperando.", first_name: "Nombre", last_name: "Apellidos",
    email: "Email", phone: "Teléfono", from: "Desde", to: "Hasta", start: "Desde la hora", end: "Hasta la hora",
    notes: "Notas", save: "Guardar", book: "Reservar", cancel: "Quitar de la lista", history: "Ofertas", start_at: "Inicio",
    booked: "Reservada: {reference}", cancelled: "Quitada de la lista", added: "Añadida a la lista de espera",
    no_offers: "Aún sin ofertas.", round: "Ronda", outcome: "Resultado", offered_at: "Ofrecida", more: "Ver más",
    figures: "Este mes", fill_rate: "Cubiertos: {filled} de {openings} huecos liberados ({rate})",
    median: "Mediana hasta cubrirlo: {minutes} min", no_figures: "Este mes no se ofreció ningún hueco.",
    s_waiting: "esperando", s_offered: "ofrecida", s_booked: "reservada", s_expired: "caducada", s_cancelled: "quitada",
    o_accepted: "aceptada", o_declined: "rechazada", o_expired: "sin respuesta", o_missed: "perdida", o_open: "esperando respuesta",
    then: "Después", no_more: "—", edit: "Editar", saved: "Guardado" },
  it: { actions: "Azioni", nav: "Lista d'attesa", add: "Aggiungi richiesta", status: "Stato", all: "Tutte", service: "Servizio",
    staff: "Professionista", anyone: "Chiunque", search: "Nome, email o telefono", filter: "Filtra", client: "Cliente",
    windows: "Quando", created: "Aggiunta", none: "Nessuno è in attesa.", first_name: "Nome", last_name: "Cognome",
    email: "Email", phone: "Telefono", from: "Dal", to: "Al", start: "Dalle", end: "Alle", notes: "Note", save: "Salva",
    book: "Prenota", cancel: "Togli dalla lista", history: "Offerte", start_at: "Inizio", booked: "Prenotata: {reference}",
    cancelled: "Tolta dalla lista", added: "Aggiunta alla lista d'attesa", no_offers: "Ancora nessuna offerta.",
    round: "Turno", outcome: "Esito", offered_at: "Offerta", more: "Mostra altro", figures: "Questo mese",
    fill_rate: "Coperti: {filled} di {openings} posti liberati ({rate})", median: "Tempo mediano: {minutes} min",
    no_figures: "Questo mese non è stato offerto nessun posto.",
    s_waiting: "in attesa", s_offered: "offerta", s_booked: "prenotata", s_expired: "scaduta", s_cancelled: "tolta",
    o_accepted: "accettata", o_declined: "rifiutata", o_expired: "nessuna risposta", o_missed: "persa", o_open: "in attesa di risposta",
    then: "Poi", no_more: "—", edit: "Modifica", saved: "Salvato" },
  cs: { actions: "Akce", nav: "Čekací listina", add: "Přidat žádost", status: "Stav", all: "Vše", service: "Služba", staff: "Pracovník",
    anyone: "Kdokoli", search: "Jméno, e-mail nebo telefon", filter: "Filtrovat", client: "Klient", windows: "Kdy",
    created: "Přidáno", none: "Nikdo nečeká.", first_name: "Jméno", last_name: "Příjmení", email: "E-mail",
    phone: "Telefon", from: "Od", to: "Do", start: "Od času", end: "Do času", notes: "Poznámky", save: "Uložit",
    book: "Rezervovat", cancel: "Odebrat ze seznamu", history: "Nabídky", start_at: "Začátek",
    booked: "Rezervováno: {reference}", cancelled: "Odebráno ze seznamu", added: "Přidáno na čekací listinu",
    no_offers: "Zatím žádné nabídky.", round: "Kolo", outcome: "Výsledek", offered_at: "Nabídnuto", more: "Zobrazit další",
    figures: "Tento měsíc", fill_rate: "Obsazeno: {filled} z {openings} uvolněných termínů ({rate})",
    median: "Medián do obsazení: {minutes} min", no_figures: "Tento měsíc nebyl nabídnut žádný termín.",
    s_waiting: "čeká", s_offered: "nabídnuto", s_booked: "rezervováno", s_expired: "vypršelo", s_cancelled: "odebráno",
    o_accepted: "přijato", o_declined: "odmítnuto", o_expired: "bez odpovědi", o_missed: "zmeškáno", o_open: "čeká na odpověď",
    then: "Potom", no_more: "—", edit: "Upravit", saved: "Uloženo" },
  et: { actions: "Toimingud", nav: "Ootenimekiri", add: "Lisa soov", status: "Olek", all: "Kõik", service: "Teenus", staff: "Spetsialist",
    anyone: "Ükskõik kes", search: "Nimi, e-post või telefon", filter: "Filtreeri", client: "Klient", windows: "Millal",
    created: "Lisatud", none: "Keegi ei oota.", first_name: "Eesnimi", last_name: "Perekonnanimi", email: "E-post",
    phone: "Telefon", from: "Alates", to: "Kuni", start: "Kellaajast", end: "Kellaajani", notes: "Märkused",
    save: "Salvesta", book: "Broneeri", cancel: "Eemalda nimekirjast", history: "Pakkumised", start_at: "Algus",
    booked: "Broneeritud: {reference}", cancelled: "Nimekirjast eemaldatud", added: "Lisatud ootenimekirja",
    no_offers: "Pakkumisi veel pole.", round: "Voor", outcome: "Tulemus", offered_at: "Pakutud", more: "Näita rohkem",
    figures: "See kuu", fill_rate: "Täidetud: {filled} / {openings} vabanenud aega ({rate})",
    median: "Täitmise mediaan: {minutes} min", no_figures: "Sel kuul ei pakutud ühtegi vabanenud aega.",
    s_waiting: "ootab", s_offered: "pakutud", s_booked: "broneeritud", s_expired: "aegunud", s_cancelled: "eemaldatud",
    o_accepted: "vastu võetud", o_declined: "keeldutud", o_expired: "vastuseta", o_missed: "jäi ilma", o_open: "ootab vastust",
    then: "Seejärel", no_more: "—", edit: "Muuda", saved: "Salvestatud" },
};

function windowText(fmt, w) {
  const days = w.from === w.to ? fmt.date(`${w.from}T12:00:00`) : `${fmt.date(`${w.from}T12:00:00`)} – ${fmt.date(`${w.to}T12:00:00`)}`;
  return `${days}, ${w.start}–${w.end}`;
}

function historyDialog(ctx, request) {
  const { t, fmt } = ctx;
  dialog(`${t("history")}: ${name(request.client)}`, (body) => {
    if (!request.offers.length) { body.append(h("p", { class: "muted" }, t("no_offers"))); return; }
    body.append(h("table", { class: "grid offers" },
      h("thead", {}, h("tr", {}, ["offered_at", "start_at", "round", "outcome"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, request.offers.map((o) => h("tr", {},
        h("td", {}, fmt.dateTime(o.at)), h("td", {}, fmt.dateTime(o.start)), h("td", {}, String(o.round || "—")),
        h("td", {}, t(`o_${o.outcome || "open"}`)))))));
  }, t("close"));
}

function addDialog(ctx, catalog, reload) {
  const { t, api, toast } = ctx;
  dialog(t("add"), (body, close) => {
    const today = ctx.fmt.today();
    const form = apiForm(ctx, { class: "stack" }, async (f) => {
      const v = values(f, ["first_name", "last_name", "email", "phone", "staff", "from", "to", "start", "end", "notes"]);
      await api("POST", "/admin/waitlist", {
        client: { first_name: v.first_name, last_name: v.last_name, email: v.email, phone: v.phone },
        services: chosenServices(f), staff: v.staff, notes: v.notes,
        windows: [{ from: v.from, to: v.to || v.from, start: v.start, end: v.end }],
      });
      toast(t("added"));
      close(true);
      await reload();
    },
    field(t("first_name"), h("input", { name: "first_name", "data-field": "client.first_name", autocomplete: "off" })),
    field(t("last_name"), h("input", { name: "last_name", "data-field": "client.last_name", autocomplete: "off" })),
    field(t("email"), h("input", { name: "email", "data-field": "client.email", type: "email", autocomplete: "off" })),
    field(t("phone"), h("input", { name: "phone", "data-field": "client.phone", type: "tel", autocomplete: "off" })),
    servicePickers(t, catalog),
    field(t("staff"), h("select", { name: "staff" }, h("option", { value: "any" }, t("anyone")),
      catalog.staff.map((m) => h("option", { value: m.id }, m.name)))),
    field(t("from"), h("input", { name: "from", "data-field": "windows.0.from", type: "date", value: today })),
    field(t("to"), h("input", { name: "to", "data-field": "windows.0.to", type: "date", value: today })),
    field(t("start"), h("input", { name: "start", "data-field": "windows.0.start", type: "time", value: "09:00" })),
    field(t("end"), h("input", { name: "end", "data-field": "windows.0.end", type: "time", value: "20:00" })),
    field(t("notes"), h("textarea", { name: "notes", rows: 2 })),
    h("button", { type: "submit", class: "primary" }, t("save")));
    body.append(form);
  }, t("close"));
}

function editDialog(ctx, request, catalog, reload) {
  const { t, api, toast } = ctx;
  dialog(`${t("edit")}: ${name(request.client)}`, (body, close) => {
    const form = apiForm(ctx, { class: "stack" }, async (f) => {
      const v = values(f, ["staff", "notes"]);
      await api("PATCH", `/admin/waitlist/${encodeURIComponent(request.id)}`,
        { services: chosenServices(f), staff: v.staff, notes: v.notes });
      toast(t("saved"));
      close(true);
      await reload();
    },
    servicePickers(t, catalog, servicesOf(request)),
    field(t("staff"), h("select", { name: "staff" }, h("option", { value: "any" }, t("anyone")),
      catalog.staff.map((m) => h("option", { value: m.id, selected: m.id === request.staff }, m.name)))),
    field(t("notes"), h("textarea", { name: "notes", rows: 2 }, request.notes)),
    h("button", { type: "submit", class: "primary" }, t("save")));
    body.append(form);
  }, t("close"));
}

function bookDialog(ctx, request, catalog, reload) {
  const { t, api, toast } = ctx;
  dialog(`${t("book")}: ${name(request.client)}`, (body, close) => {
    const first = request.windows[0];
    const performers = catalog.staff.filter((m) => (request.staff === "any" || m.id === request.staff)
      && servicesOf(request).every((id) => (m.services || []).includes(id)));
    const form = apiForm(ctx, { class: "stack" }, async (f) => {
      const v = values(f, ["staff", "day", "time"]);
      const start = ctx.fmt.instantAt(`${v.day}T${v.time}`).toISOString();
      const done = await api("POST", `/admin/waitlist/${encodeURIComponent(request.id)}/convert`, { start, staff: v.staff });
      toast(t("booked", { reference: done.appointment.reference }));
      close(true);
      await reload();
    },
    field(t("staff"), h("select", { name: "staff" }, performers.map((m) => h("option", { value: m.id }, m.name)))),
    field(t("from"), h("input", { name: "day", type: "date", value: first.from, "data-field": "start" })),
    field(t("start_at"), h("input", { name: "time", type: "time", value: first.start, step: 300 })),
    h("button", { type: "submit", class: "primary" }, t("book")));
    body.append(form);
  }, t("close"));
}

export default {
  id: "waitlist",
  path: "/waitlist",
  nav: "nav",
  requires: "waitlist.read",
  order: 35,
  messages: Object.fromEntries(Object.entries(W).map(([lang, m]) => [lang, { ...m, ...SUGGESTION_MESSAGES[lang] }])),

  async render(root, ctx) {
    const { api, t, fmt, toast, me } = ctx;
    const writes = (me.actions || []).includes("waitlist.write");
    const [services, staff] = await Promise.all([api("GET", "/admin/services"), api("GET", "/admin/staff")]);
    const catalog = { services: services.services || [], staff: (staff.staff || []).filter((m) => (m.services || []).length) };
    const serviceName = (id) => (catalog.services.find((s) => s.id === id) || { name: id }).name;
    const staffName = (id) => (id === "any" ? t("anyone") : (catalog.staff.find((m) => m.id === id) || { name: id }).name);

    const filters = h("form", { class: "filters", role: "search", onsubmit: (e) => { e.preventDefault(); load(true).catch(toast); } },
      field(t("status"), h("select", { name: "status" }, h("option", { value: "" }, t("all")),
        STATUSES.map((s) => h("option", { value: s, selected: s === "waiting" }, t(`s_${s}`))))),
      field(t("service"), h("select", { name: "service" }, h("option", { value: "" }, t("all")),
        catalog.services.map((s) => h("option", { value: s.id }, s.name)))),
      field(t("staff"), h("select", { name: "staff" }, h("option", { value: "" }, t("all")),
        catalog.staff.map((m) => h("option", { value: m.id }, m.name)))),
      field(t("search"), h("input", { name: "q", type: "search" })),
      h("button", { type: "submit" }, t("filter")));
    const rows = h("tbody");
    const empty = h("p", { class: "muted", hidden: true }, t("none"));
    const more = h("button", { type: "button", hidden: true, onclick: () => load(false).catch(toast) }, t("more"));
    let cursor = null;

    const row = (r) => h("tr", { dataset: { request: r.id, status: r.status } },
      h("td", {}, name(r.client), r.notes ? h("div", { class: "muted" }, r.notes) : null),
      h("td", {}, servicesOf(r).map(serviceName).join(" + "), h("div", { class: "muted" }, staffName(r.staff))),
      h("td", {}, h("ul", { class: "plain" }, r.windows.map((w) => h("li", {}, windowText(fmt, w))))),
      h("td", {}, h("time", { datetime: r.created_at }, fmt.dateTime(r.created_at))),
      h("td", {}, t(`s_${r.status}`)),
      h("td", { class: "actions" },
        h("button", { type: "button", onclick: () => historyDialog(ctx, r) }, t("history")),
        writes && OPEN.includes(r.status) ? [
          h("button", { type: "button", class: "primary", onclick: () => bookDialog(ctx, r, catalog, () => load(true)) }, t("book")),
          h("button", { type: "button", onclick: () => editDialog(ctx, r, catalog, () => load(true)) }, t("edit")),
          h("button", { type: "button", onclick: async () => {
            try {
              await api("POST", `/admin/waitlist/${encodeURIComponent(r.id)}/cancel`, {});
              toast(t("cancelled"));
              await load(true);
            } catch (error) { toast(error); }
          } }, t("cancel"))] : null));

    async function load(fresh) {
      if (fresh) { cursor = null; rows.replaceChildren(); }
      const query = new URLSearchParams({ limit: "25" });
      for (const [k, v] of new FormData(filters)) if (v) query.set(k, String(v));
      if (cursor) query.set("cursor", cursor);
      const page = await api("GET", `/admin/waitlist?${query}`);
      rows.append(...page.requests.map(row));
      cursor = page.cursor;
      more.hidden = !cursor;
      empty.hidden = rows.children.length > 0;
    }

    const today = fmt.today();
    const month = today.slice(0, 8);
    const last = new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0).getDate();
    const stats = await api("GET", `/admin/waitlist-offers?from=${month}01&to=${month}${String(last).padStart(2, "0")}`);
    const f = stats.figures;
    const figures = h("section", { class: "figures", "aria-label": t("figures") }, h("h2", {}, t("figures")),
      f.openings ? [h("p", {}, t("fill_rate", { filled: f.filled, openings: f.openings, rate: `${Math.round((f.fill_rate || 0) * 100)} %` })),
        f.median_minutes_to_fill !== null ? h("p", {}, t("median", { minutes: f.median_minutes_to_fill })) : null]
        : h("p", { class: "muted" }, t("no_figures")));

    await load(true);
    mount(root, h("h1", {}, t("nav")),
      writes ? h("button", { type: "button", class: "primary", onclick: () => addDialog(ctx, catalog, () => load(true)) }, t("add")) : null,
      filters,
      h("div", { class: "table-wrap" }, h("table", { class: "grid waitlist" },
        h("thead", {}, h("tr", {}, ["client", "service", "windows", "created", "status", "actions"].map((k) => h("th", { scope: "col" }, t(k))))),
        rows)),
      empty, more, suggestionsSection(ctx, stats.offers, { service: serviceName, staff: staffName }, writes,
        () => load(true)), figures);
  },
};

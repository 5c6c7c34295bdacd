// Clients: find one as you type, open the profile (appointment history, messages sent), edit it, add
// a new one. A level that may not see contacts (6) gets none from the API and is offered none here.
import { dialog, field, h, mount } from "../dom.js";
import { apiForm, values } from "./parts/forms.js";
import { WORDS as COMMON } from "./parts/words.js";
import { privacyCard } from "./clients/privacy.js";

const DEBOUNCE_MS = 250;
const MIN_QUERY = 2;
const CONTACTS = ["email", "phone", "mobile"];

const name = (c) => [c.first_name, c.last_name].filter(Boolean).join(" ");

/** The client form, for a new client or an edit: contact fields only for those who see contacts. */
function clientForm(ctx, client, save) {
  const input = (key, attrs = {}) => field(ctx.t(key), h("input", { name: key, value: (client && client[key]) || "", ...attrs }));
  return apiForm(ctx, { class: "stack" }, save,
    h("div", { class: "form-grid" },
      input("first_name", { required: true, maxlength: 100, autocomplete: "off" }),
      input("last_name", { maxlength: 100, autocomplete: "off" }),
      ctx.me.sees_contacts && [
        input("email", { type: "email", maxlength: 254, autocomplete: "off" }),
        input("phone", { type: "tel", maxlength: 40, autocomplete: "off" }),
        input("mobile", { type: "tel", maxlength: 40, autocomplete: "off" })],
      input("fiscal_code", { maxlength: 40, autocomplete: "off" })),
    field(ctx.t("notes"), h("textarea", { name: "notes", maxlength: 2000 }, (client && client.notes) || "")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, ctx.t("save"))));
}

function fieldsOf(form, ctx) {
  const names = ["first_name", "last_name", "fiscal_code", "notes", ...(ctx.me.sees_contacts ? CONTACTS : [])];
  const found = values(form, names);
  if (found.last_name === null) found.last_name = "";
  if (found.notes === null) found.notes = "";
  return found;
}

function newClient(ctx) {
  dialog(ctx.t("new_client"), (body, close) => {
    body.append(clientForm(ctx, null, async (form) => {
      const created = await ctx.api("POST", "/admin/clients", fieldsOf(form, ctx));
      close();
      ctx.toast(ctx.t("saved"), "ok");
      ctx.navigate(`/clients/${encodeURIComponent(created.id)}`);
    }));
  }, ctx.t("close"));
}

function searchView(root, ctx) {
  const writes = ctx.me.actions.includes("clients.write");
  const box = h("input", { type: "search", name: "q", autocomplete: "off", maxlength: 100, "aria-controls": "client-results" });
  const status = h("p", { class: "muted", role: "status" });
  const results = h("tbody", { id: "client-results" });
  const more = h("button", { type: "button", hidden: true }, ctx.t("more"));
  let timer = null;
  let asked = 0;
  let cursor = null;

  const row = (c) => h("tr", {},
    h("td", {}, h("a", { href: `#/clients/${encodeURIComponent(c.id)}` }, name(c) || c.id)),
    ctx.me.sees_contacts && h("td", {}, c.email || ""),
    ctx.me.sees_contacts && h("td", {}, c.phone || c.mobile || ""),
    h("td", {}, c.fiscal_code || ""));

  async function load(append) {
    const q = box.value.trim();
    if (q.length > 0 && q.length < MIN_QUERY) {
      status.textContent = ctx.t("type_more", { n: MIN_QUERY });
      return;
    }
    const ask = ++asked;
    const query = new URLSearchParams({ limit: "25" });
    if (q) query.set("q", q);
    if (append && cursor) query.set("cursor", cursor);
    const found = await ctx.api("GET", `/admin/clients?${query}`);
    if (ask !== asked) return; // a newer search has started: its answer is the one to show
    cursor = found.cursor;
    if (append) results.append(...found.clients.map(row));
    else mount(results, found.clients.map(row));
    more.hidden = !cursor;
    status.textContent = results.children.length ? ctx.t("found", { n: results.children.length }) : ctx.t("none_found");
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(false).catch(ctx.toast), DEBOUNCE_MS);
  });
  more.addEventListener("click", () => load(true).catch(ctx.toast));
  mount(root, h("h1", {}, ctx.t("nav")),
    h("div", { class: "toolbar" },
      h("form", { role: "search", class: "grow", onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); load(false).catch(ctx.toast); } },
        field(ctx.t("search"), box, ctx.t("search_hint"))),
      writes && h("button", { type: "button", class: "primary", onclick: () => newClient(ctx) }, ctx.t("new_client"))),
    status,
    h("div", { class: "table-wrap" }, h("table", { class: "grid results" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ctx.t("name")),
        ctx.me.sees_contacts && h("th", { scope: "col" }, ctx.t("email")),
        ctx.me.sees_contacts && h("th", { scope: "col" }, ctx.t("phone")),
        h("th", { scope: "col" }, ctx.t("fiscal_code")))),
      results)),
    more);
  box.focus();
  load(false).catch(ctx.toast);
  return () => clearTimeout(timer);
}

async function profileView(root, ctx, id) {
  const path = `/admin/clients/${encodeURIComponent(id)}`;
  const [client, { messages }] = await Promise.all([ctx.api("GET", path), ctx.api("GET", `${path}/messages`)]);
  const writes = ctx.me.actions.includes("clients.write");
  const fact = (key, value) => value ? [h("dt", {}, ctx.t(key)), h("dd", { dataset: { fact: key } }, value)] : null;
  const edit = () => dialog(ctx.t("edit"), (body, close) => {
    body.append(clientForm(ctx, client, async (form) => {
      await ctx.api("PATCH", path, fieldsOf(form, ctx));
      close();
      ctx.toast(ctx.t("saved"), "ok");
      profileView(root, ctx, id).catch(ctx.toast);
    }));
  }, ctx.t("close"));

  mount(root,
    h("p", {}, h("a", { href: "#/clients" }, `← ${ctx.t("back")}`)),
    h("h1", {}, name(client)),
    h("section", { class: "card", "aria-labelledby": "client-facts" },
      h("h2", { id: "client-facts" }, ctx.t("profile")),
      h("dl", { class: "facts" },
        ctx.me.sees_contacts && CONTACTS.map((key) => fact(key, client[key])),
        fact("fiscal_code", client.fiscal_code), fact("notes", client.notes),
        fact("client_since", client.created_at && ctx.fmt.date(client.created_at))),
      writes && !client.erased_at && h("button", { type: "button", onclick: edit }, ctx.t("edit"))),
    h("section", { class: "card", "aria-labelledby": "client-history" },
      h("h2", { id: "client-history" }, ctx.t("history")),
      client.history.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid history" },
        h("thead", {}, h("tr", {}, ["when", "service", "staff", "status", "price", "reference"]
          .map((k) => h("th", { scope: "col" }, ctx.t(k))))),
        h("tbody", {}, client.history.map((a) => h("tr", { dataset: { reference: a.reference } },
          h("td", {}, ctx.fmt.dateTime(a.start)), h("td", {}, a.service_name || a.service),
          h("td", {}, a.staff_name || a.staff), h("td", {}, h("span", { class: `badge st-${a.status}` }, ctx.t(`st_${a.status}`))),
          h("td", {}, ctx.fmt.money(a.price, a.currency)), h("td", { class: "ref" }, a.reference))))))
        : h("p", { class: "muted" }, ctx.t("no_history"))),
    h("section", { class: "card", "aria-labelledby": "client-messages" },
      h("h2", { id: "client-messages" }, ctx.t("messages")),
      messages.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid messages" },
        h("thead", {}, h("tr", {}, ["when", "kind", "channel", "status", "reference", ctx.me.sees_contacts && "to"]
          .filter(Boolean).map((k) => h("th", { scope: "col" }, ctx.t(k))))),
        h("tbody", {}, messages.map((m) => h("tr", {},
          h("td", {}, ctx.fmt.dateTime(m.at)), h("td", {}, ctx.t(`kind_${m.kind}`)), h("td", {}, ctx.t(`ch_${m.channel}`)),
          h("td", {}, h("span", { class: `badge msg-${m.status}` }, ctx.t(`msg_${m.status}`)), m.error ? ` ${m.error}` : ""),
          h("td", { class: "ref" }, m.reference), ctx.me.sees_contacts && h("td", {}, m.to || ""))))))
        : h("p", { class: "muted" }, ctx.t("no_messages"))),
    privacyCard(ctx, client, path, () => profileView(root, ctx, id).catch(ctx.toast)));
}


export default {
  id: "clients",
  path: "/clients",
  nav: "nav",
  requires: "clients.read",
  order: 30,
  messages: {
    en: { ...COMMON.en, nav: "Clients", search: "Find a client", search_hint: "Name, phone, email or fiscal code",
      type_more: "Type at least {n} characters.", found: "{n} shown", none_found: "No client found.", more: "Show more",
      new_client: "New client", name: "Name", first_name: "First name", last_name: "Last name", email: "Email",
      phone: "Phone", mobile: "Mobile", fiscal_code: "Fiscal code", notes: "Notes", client_since: "Client since",
      saved: "Saved.", edit: "Edit client", back: "All clients", profile: "Profile", history: "Appointments",
      no_history: "No appointments yet.", messages: "Messages sent", no_messages: "No messages yet.",
      when: "When", service: "Service", staff: "Professional", status: "Status", price: "Price", reference: "Reference",
      kind: "Message", channel: "Channel", to: "Sent to" },
    es: { ...COMMON.es, nav: "Clientes", search: "Buscar cliente", search_hint: "Nombre, teléfono, correo o código fiscal",
      type_more: "Escribe al menos {n} caracteres.", found: "{n} mostrados", none_found: "Ningún cliente encontrado.",
      more: "Mostrar más", new_client: "Nuevo cliente", name: "Nombre", first_name: "Nombre", last_name: "Apellidos",
      email: "Correo electrónico", phone: "Teléfono", mobile: "Móvil", fiscal_code: "Código fiscal", notes: "Notas",
      client_since: "Cliente desde", saved: "Guardado.", edit: "Editar cliente", back: "Todos los clientes",
      profile: "Ficha", history: "Citas", no_history: "Aún no hay citas.", messages: "Mensajes enviados",
      no_messages: "Aún no hay mensajes.", when: "Cuándo", service: "Servicio", staff: "Profesional", status: "Estado",
      price: "Precio", reference: "Referencia", kind: "Mensaje", channel: "Canal", to: "Enviado a" },
    it: { ...COMMON.it, nav: "Clienti", search: "Cerca un cliente", search_hint: "Nome, telefono, email o codice fiscale",
      type_more: "Scrivi almeno {n} caratteri.", found: "{n} mostrati", none_found: "Nessun cliente trovato.",
      more: "Mostra altri", new_client: "Nuovo cliente", name: "Nome", first_name: "Nome", last_name: "Cognome",
      email: "Email", phone: "Telefono", mobile: "Cellulare", fiscal_code: "Codice fiscale", notes: "Note",
      client_since: "Cliente dal", saved: "Salvato.", edit: "Modifica cliente", back: "Tutti i clienti",
      profile: "Scheda", history: "Appuntamenti", no_history: "Ancora nessun appuntamento.", messages: "Messaggi inviati",
      no_messages: "Ancora nessun messaggio.", when: "Quando", service: "Servizio", staff: "Professionista",
      status: "Stato", price: "Prezzo", reference: "Riferimento", kind: "Messaggio", channel: "Canale", to: "Inviato a" },
    cs: { ...COMMON.cs, nav: "Klienti", search: "Najít klienta", search_hint: "Jméno, telefon, e-mail nebo rodné číslo",
      type_more: "Napište alespoň {n} znaky.", found: "Zobrazeno: {n}", none_found: "Žádný klient nenalezen.",
      more: "Zobrazit další", new_client: "Nový klient", name: "Jméno", first_name: "Jméno", last_name: "Příjmení",
      email: "E-mail", phone: "Telefon", mobile: "Mobil", fiscal_code: "Daňový kód", notes: "Poznámky",
      client_since: "Klientem od", saved: "Uloženo.", edit: "Upravit klienta", back: "Všichni klienti",
      profile: "Karta klienta", history: "Rezervace", no_history: "Zatím žádné rezervace.", messages: "Odeslané zprávy",
      no_messages: "Zatím žádné zprávy.", when: "Kdy", service: "Služba", staff: "Pracovník", status: "Stav",
      price: "Cena", reference: "Kód", kind: "Zpráva", channel: "Kanál", to: "Komu" },
    et: { ...COMMON.et, nav: "Kliendid", search: "Leia klient", search_hint: "Nimi, telefon, e-post või isikukood",
      type_more: "Sisesta vähemalt {n} märki.", found: "Näidatud: {n}", none_found: "Klienti ei leitud.",
      more: "Näita rohkem", new_client: "Uus klient", name: "Nimi", first_name: "Eesnimi", last_name: "Perekonnanimi",
      email: "E-post", phone: "Telefon", mobile: "Mobiil", fiscal_code: "Isikukood", notes: "Märkmed",
      client_since: "Klient alates", saved: "Salvestatud.", edit: "Muuda klienti", back: "Kõik kliendid",
      profile: "Profiil", history: "Broneeringud", no_history: "Broneeringuid veel pole.", messages: "Saadetud sõnumid",
      no_messages: "Sõnumeid veel pole.", when: "Millal", service: "Teenus", staff: "Spetsialist", status: "Olek",
      price: "Hind", reference: "Viide", kind: "Sõnum", channel: "Kanal", to: "Saaja" },
  },
  render(root, ctx) {
    if (ctx.params[0]) return profileView(root, ctx, ctx.params[0]);
    return searchView(root, ctx);
  },
};

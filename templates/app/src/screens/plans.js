// Plans (levels 1-4 read, 1-3 write): the plans the salon sells, selling one to a client, a client's plans
// with balances and ledger, adjustments with a reason, the period's figures (sold, used, deferred revenue)
// and the client records a booker matched twice. #/plans/<client id> opens that client's plans.
import { dialog, field, h, mount } from "../dom.js";
import { apiForm, values } from "./parts/forms.js";

const DEBOUNCE_MS = 250;
const person = (c) => [c.first_name, c.last_name].filter(Boolean).join(" ") || c.id;

function itemText(ctx, item, services) {
  const what = item.service ? (services[item.service] || item.service) : ctx.t("category_of", { name: item.category });
  return `${item.quantity} × ${what}`;
}

/** The template form: name, price, validity, active, and item rows (a service or a category, a quantity). */
function templateForm(ctx, template, catalog, save) {
  const rows = h("tbody");
  const options = [
    ...catalog.services.map((s) => ({ value: `service:${s.id}`, label: s.name })),
    ...catalog.categories.map((c) => ({ value: `category:${c}`, label: ctx.t("category_of", { name: c }) })),
  ];
  const addRow = (item) => {
    const chosen = item ? (item.service ? `service:${item.service}` : `category:${item.category}`) : options[0].value;
    const n = rows.children.length;
    const row = h("tr", { "data-field": `items.${n}` },
      h("td", {}, h("select", { "aria-label": ctx.t("item"), name: `items.${n}.service`, class: "plan-what" },
        options.map((o) => h("option", { value: o.value, selected: o.value === chosen }, o.label)))),
      h("td", {}, h("input", { type: "number", min: 1, max: 1000, value: item ? item.quantity : 1,
        "aria-label": ctx.t("quantity"), name: `items.${n}.quantity`, class: "plan-quantity" })),
      h("td", {}, h("button", { type: "button", class: "link", onclick: () => row.remove() }, ctx.t("remove"))));
    rows.append(row);
  };
  (template ? template.items : [null]).forEach(addRow);
  const validity = template ? template.validity : { amount: 3, unit: "months" };
  return apiForm(ctx, { class: "stack" }, save,
    h("div", { class: "form-grid" },
      field(ctx.t("name"), h("input", { name: "name", required: true, maxlength: 100, value: template ? template.name : "" })),
      field(ctx.t("price_in", { currency: ctx.fmt.currency }), h("input", { name: "price", inputmode: "decimal",
        required: true, value: template ? template.price : "" })),
      field(ctx.t("valid_for"), h("input", { type: "number", name: "validity.amount", min: 1, value: validity.amount })),
      field(ctx.t("unit"), h("select", { name: "validity.unit" }, ["days", "months"].map((u) =>
        h("option", { value: u, selected: validity.unit === u }, ctx.t(`unit_${u}`))))),
      h("div", { class: "check" }, h("input", { type: "checkbox", id: "plan-active", name: "active",
        checked: template ? template.active : true }), h("label", { for: "plan-active" }, ctx.t("active")))),
    h("fieldset", { "data-field": "items" }, h("legend", {}, ctx.t("items")),
      h("table", { class: "grid" }, rows),
      h("button", { type: "button", onclick: () => addRow(null) }, ctx.t("add_item"))),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, ctx.t("save"))));
}

function templateBody(form, template) {
  const body = values(form, ["name", "price", "active"]);
  if (body.price) body.price = body.price.replace(",", ".");
  body.validity = { amount: Number(form.elements.namedItem("validity.amount").value),
    unit: form.elements.namedItem("validity.unit").value };
  body.items = [...form.querySelectorAll("tbody tr")].map((row) => {
    const [kind, ref] = row.querySelector(".plan-what").value.split(/:(.*)/s);
    return { [kind]: ref, quantity: Number(row.querySelector(".plan-quantity").value) };
  });
  if (template) body.revision = template.revision;
  return body;
}

function balancesTable(ctx, plan, services) {
  return h("table", { class: "grid plan-balances" },
    h("thead", {}, h("tr", {}, ["item", "sold", "held", "used", "expired_units", "adjusted", "available"]
      .map((k) => h("th", { scope: "col" }, ctx.t(k))))),
    h("tbody", {}, plan.balances.map((b) => h("tr", { dataset: { item: b.item } },
      h("th", { scope: "row" }, itemText(ctx, plan.items[b.item], services)),
      ...["sold", "held", "used", "expired", "adjusted", "available"].map((k) => h("td", { dataset: { col: k } }, b[k]))))));
}

function ledgerTable(ctx, plan, services) {
  return h("table", { class: "grid plan-ledger" },
    h("thead", {}, h("tr", {}, ["when", "entry", "item", "units", "by", "reason"].map((k) => h("th", { scope: "col" }, ctx.t(k))))),
    h("tbody", {}, plan.ledger.map((e) => h("tr", {},
      h("td", {}, ctx.fmt.dateTime(e.at)), h("td", {}, ctx.t(`entry_${e.entry}`)),
      h("td", {}, itemText(ctx, plan.items[e.item], services)), h("td", {}, e.units),
      h("td", {}, e.by), h("td", {}, e.reason || e.reference || "")))));
}

function adjustDialog(ctx, clientId, plan, services, done) {
  dialog(ctx.t("adjust_title", { name: plan.name }), (body, close) => {
    body.append(apiForm(ctx, { class: "stack" }, async (form) => {
      const found = values(form, ["item", "units", "reason"]);
      await ctx.api("POST", `/admin/clients/${encodeURIComponent(clientId)}/plans/${encodeURIComponent(plan.id)}/adjustments`,
        { item: Number(found.item), units: found.units, reason: found.reason || "" });
      close();
      ctx.toast(ctx.t("saved"), "ok");
      done();
    },
    h("div", { class: "form-grid" },
      field(ctx.t("item"), h("select", { name: "item" }, plan.items.map((item, i) =>
        h("option", { value: i }, itemText(ctx, item, services))))),
      field(ctx.t("units_change"), h("input", { type: "number", name: "units", min: -1000, max: 1000, value: 1 }),
        ctx.t("units_hint"))),
    field(ctx.t("reason"), h("input", { name: "reason", maxlength: 500, required: true })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, ctx.t("adjust")))));
  }, ctx.t("close"));
}

async function clientPlans(ctx, box, client, templates, services, writes) {
  const { plans } = await ctx.api("GET", `/admin/clients/${encodeURIComponent(client.id)}/plans`);
  const again = () => clientPlans(ctx, box, client, templates, services, writes).catch(ctx.toast);
  const sell = writes && apiForm(ctx, { class: "inline sell-plan" }, async (form) => {
    const found = values(form, ["template", "start"]);
    await ctx.api("POST", `/admin/clients/${encodeURIComponent(client.id)}/plans`, found);
    ctx.toast(ctx.t("sold_ok"), "ok");
    again();
  },
  field(ctx.t("plan"), h("select", { name: "template" }, templates.filter((tp) => tp.active).map((tp) =>
    h("option", { value: tp.id }, `${tp.name} · ${ctx.fmt.money(tp.price)}`)))),
  field(ctx.t("starts"), h("input", { type: "date", name: "start", value: ctx.fmt.today() })),
  h("button", { type: "submit", class: "primary" }, ctx.t("sell")));
  const views = await Promise.all(plans.map((p) => ctx.api("GET",
    `/admin/clients/${encodeURIComponent(client.id)}/plans/${encodeURIComponent(p.id)}`)));
  mount(box, h("h2", {}, ctx.t("plans_of", { name: person(client) })), sell,
    views.length ? views.map((p) => h("section", { class: "card sold-plan", dataset: { plan: p.id } },
      h("h3", {}, p.name, " ", h("span", { class: `badge ${p.expired ? "svc-disabled" : "svc-active"}` },
        ctx.t(p.expired ? "expired" : "valid"))),
      h("p", { class: "muted" }, ctx.t("validity_line", { start: ctx.fmt.date(`${p.start}T12:00:00Z`),
        end: ctx.fmt.date(`${p.end}T12:00:00Z`), price: ctx.fmt.money(p.price, p.currency) })),
      balancesTable(ctx, p, services),
      h("details", {}, h("summary", {}, ctx.t("ledger")), ledgerTable(ctx, p, services)),
      writes && !p.expired && h("button", { type: "button", onclick: () => adjustDialog(ctx, client.id, p, services, again) },
        ctx.t("adjust"))))
      : h("p", { class: "muted" }, ctx.t("no_client_plans")));
}

function figuresForm(ctx, box) {
  const today = ctx.fmt.today();
  const output = h("dl", { class: "details plan-figures" });
  const form = apiForm(ctx, { class: "inline" }, async (f) => {
    const found = values(f, ["from", "to"]);
    const figures = await ctx.api("GET", `/admin/plan-figures?from=${found.from}&to=${found.to}`);
    mount(output, ...[["plans_sold", figures.plans_sold], ["sold_value", ctx.fmt.money(figures.sold_value)],
      ["units_used", figures.units_used], ["units_expired", figures.units_expired],
      ["deferred_revenue", ctx.fmt.money(figures.deferred_revenue)]]
      .flatMap(([k, v]) => [h("dt", {}, ctx.t(k)), h("dd", { dataset: { field: k } }, String(v))]));
  },
  field(ctx.t("from"), h("input", { type: "date", name: "from", value: `${today.slice(0, 8)}01` })),
  field(ctx.t("to"), h("input", { type: "date", name: "to", value: today })),
  h("button", { type: "submit" }, ctx.t("show")));
  mount(box, h("h2", {}, ctx.t("figures")), form, output);
}

export default {
  id: "plans",
  path: "/plans",
  nav: "nav",
  requires: "plans.read",
  order: 35,
  messages: {
    en: { nav: "Plans", new_plan: "New plan", edit: "Edit", edit_title: "Edit {name}", name: "Name", price: "Price",
      price_in: "Price ({currency})", valid_for: "Valid for", unit: "Unit", unit_days: "days", unit_months: "months",
      active: "On sale", items: "Sessions included", item: "Service", quantity: "Sessions", add_item: "Add a service",
      remove: "Remove", category_of: "any {name}", validity: "Validity", saved: "Saved.", none: "No plans yet: create the first one.",
      on_sale: "On sale", off_sale: "Not on sale", client: "Client", find_client: "Find a client by name or phone",
      plans_of: "Plans of {name}", plan: "Plan", starts: "Starts on", sell: "Sell", sold_ok: "Plan sold.",
      no_client_plans: "No plans yet.", expired: "Expired", valid: "Valid", ledger: "Ledger",
      validity_line: "Valid {start} – {end} · {price}", sold: "Sold", held: "Booked", used: "Used", expired_units: "Expired",
      adjusted: "Adjusted", available: "Available", when: "When", entry: "Entry", units: "Units", by: "By", reason: "Reason",
      entry_sale: "Sale", entry_hold: "Booked", entry_release: "Given back", entry_use: "Used", entry_expire: "Expired",
      entry_adjustment: "Adjustment", adjust: "Adjust", adjust_title: "Adjust {name}", units_change: "Units (+ or −)",
      units_hint: "Negative takes units away", figures: "Plans in a period", from: "From", to: "To", show: "Show",
      plans_sold: "Plans sold", sold_value: "Value sold", units_used: "Sessions used", units_expired: "Sessions expired",
      deferred_revenue: "Deferred revenue (unused sessions)", merge_tasks: "Client cards to merge",
      merge_line: "Booking {reference}: the same person on two cards" },
    es: { nav: "Bonos", new_plan: "Nuevo bono", edit: "Editar", edit_title: "Editar {name}", name: "Nombre", price: "Precio",
      price_in: "Precio ({currency})", valid_for: "Válido durante", unit: "Unidad", unit_days: "días", unit_months: "meses",
      active: "A la venta", items: "Sesiones incluidas", item: "Servicio", quantity: "Sesiones", add_item: "Añadir un servicio",
      remove: "Quitar", category_of: "cualquier {name}", validity: "Validez", saved: "Guardado.", none: "Aún no hay bonos: crea el primero.",
      on_sale: "A la venta", off_sale: "No a la venta", client: "Cliente", find_client: "Busca un cliente por nombre o teléfono",
      plans_of: "Bonos de {name}", plan: "Bono", starts: "Empieza el", sell: "Vender", sold_ok: "Bono vendido.",
      no_client_plans: "Aún no tiene bonos.", expired: "Caducado", valid: "Vigente", ledger: "Movimientos",
      validity_line: "Válido {start} – {end} · {price}", sold: "Vendidas", held: "Reservadas", used: "Usadas", expired_units: "Caducadas",
      adjusted: "Ajustadas", available: "Disponibles", when: "Cuándo", entry: "Movimiento", units: "Sesiones", by: "Por", reason: "Motivo",
      entry_sale: "Venta", entry_hold: "Reservada", entry_release: "Devuelta", entry_use: "Usada", entry_expire: "Caducada",
      entry_adjustment: "Ajuste", adjust: "Ajustar", adjust_title: "Ajustar {name}", units_change: "Sesiones (+ o −)",
      units_hint: "En negativo quita sesiones", figures: "Bonos en un periodo", from: "Desde", to: "Hasta", show: "Ver",
      plans_sold: "Bonos vendidos", sold_value: "Importe vendido", units_used: "Sesiones usadas", units_expired: "Sesiones caducadas",
      deferred_revenue: "Ingresos diferidos (sesiones sin usar)", merge_tasks: "Fichas de cliente por unir",
      merge_line: "Reserva {reference}: la misma persona en dos fichas" },
    it: { nav: "Pacchetti", new_plan: "Nuovo pacchetto", edit: "Modifica", edit_title: "Modifica {name}", name: "Nome", price: "Prezzo",
      price_in: "Prezzo ({currency})", valid_for: "Valido per", unit: "Unità", unit_days: "giorni", unit_months: "mesi",
      active: "In vendita", items: "Sedute incluse", item: "Servizio", quantity: "Sedute", add_item: "Aggiungi un servizio",
      remove: "Togli", category_of: "qualsiasi {name}", validity: "Validità", saved: "Salvato.", none: "Ancora nessun pacchetto: crea il primo.",
      on_sale: "In vendita", off_sale: "Non in vendita", client: "Cliente", find_client: "Cerca un cliente per nome o telefono",
      plans_of: "Pacchetti di {name}", plan: "Pacchetto", starts: "Inizia il", sell: "Vendi", sold_ok: "Pacchetto venduto.",
      no_client_plans: "Ancora nessun pacchetto.", expired: "Scaduto", valid: "Valido", ledger: "Movimenti",
      validity_line: "Valido {start} – {end} · {price}", sold: "Vendute", held: "Prenotate", used: "Usate", expired_units: "Scadute",
      adjusted: "Rettificate", available: "Disponibili", when: "Quando", entry: "Movimento", units: "Sedute", by: "Da", reason: "Motivo",
      entry_sale: "Vendita", entry_hold: "Prenotata", entry_release: "Restituita", entry_use: "Usata", entry_expire: "Scaduta",
      entry_adjustment: "Rettifica", adjust: "Rettifica", adjust_title: "Rettifica {name}", units_change: "Sedute (+ o −)",
      units_hint: "In negativo toglie sedute", figures: "Pacchetti in un periodo", from: "Dal", to: "Al", show: "Mostra",
      plans_sold: "Pacchetti venduti", sold_value: "Importo venduto", units_used: "Sedute usate", units_expired: "Sedute scadute",
      deferred_revenue: "Ricavi differiti (sedute non usate)", merge_tasks: "Schede cliente da unire",
      merge_line: "Prenotazione {reference}: la stessa persona su due schede" },
    cs: { nav: "Permanentky", new_plan: "Nová permanentka", edit: "Upravit", edit_title: "Upravit {name}", name: "Název", price: "Cena",
      price_in: "Cena ({currency})", valid_for: "Platnost", unit: "Jednotka", unit_days: "dny", unit_months: "měsíce",
      active: "V prodeji", items: "Zahrnuté návštěvy", item: "Služba", quantity: "Návštěvy", add_item: "Přidat službu",
      remove: "Odebrat", category_of: "jakákoli {name}", validity: "Platnost", saved: "Uloženo.", none: "Zatím žádné permanentky: vytvořte první.",
      on_sale: "V prodeji", off_sale: "Neprodává se", client: "Klient", find_client: "Najděte klienta podle jména nebo telefonu",
      plans_of: "Permanentky: {name}", plan: "Permanentka", starts: "Začíná", sell: "Prodat", sold_ok: "Permanentka prodána.",
      no_client_plans: "Zatím žádné permanentky.", expired: "Propadlá", valid: "Platná", ledger: "Pohyby",
      validity_line: "Platí {start} – {end} · {price}", sold: "Prodáno", held: "Rezervováno", used: "Využito", expired_units: "Propadlo",
      adjusted: "Upraveno", available: "K dispozici", when: "Kdy", entry: "Pohyb", units: "Návštěvy", by: "Kdo", reason: "Důvod",
      entry_sale: "Prodej", entry_hold: "Rezervace", entry_release: "Vráceno", entry_use: "Využito", entry_expire: "Propadlo",
      entry_adjustment: "Úprava", adjust: "Upravit", adjust_title: "Upravit {name}", units_change: "Návštěvy (+ nebo −)",
      units_hint: "Záporné číslo návštěvy ubere", figures: "Permanentky za období", from: "Od", to: "Do", show: "Zobrazit",
      plans_sold: "Prodané permanentky", sold_value: "Prodáno za", units_used: "Využité návštěvy", units_expired: "Propadlé návštěvy",
      deferred_revenue: "Výnosy příštích období (nevyužité návštěvy)", merge_tasks: "Karty klientů ke sloučení",
      merge_line: "Rezervace {reference}: stejná osoba na dvou kartách" },
    et: { nav: "Paketid", new_plan: "Uus pakett", edit: "Muuda", edit_title: "Muuda: {name}", name: "Nimi", price: "Hind",
      price_in: "Hind ({currency})", valid_for: "Kehtib", unit: "Ühik", unit_days: "päeva", unit_months: "kuud",
      active: "Müügil", items: "Sisalduvad korrad", item: "Teenus", quantity: "Korrad", add_item: "Lisa teenus",
      remove: "Eemalda", category_of: "mis tahes {name}", validity: "Kehtivus", saved: "Salvestatud.", none: "Pakette veel pole: loo esimene.",
      on_sale: "Müügil", off_sale: "Ei ole müügil", client: "Klient", find_client: "Otsi klienti nime või telefoni järgi",
      plans_of: "Paketid: {name}", plan: "Pakett", starts: "Algab", sell: "Müü", sold_ok: "Pakett müüdud.",
      no_client_plans: "Pakette veel pole.", expired: "Aegunud", valid: "Kehtiv", ledger: "Liikumised",
      validity_line: "Kehtib {start} – {end} · {price}", sold: "Müüdud", held: "Broneeritud", used: "Kasutatud", expired_units: "Aegunud",
      adjusted: "Korrigeeritud", available: "Saadaval", when: "Millal", entry: "Liikumine", units: "Korrad", by: "Kes", reason: "Põhjus",
      entry_sale: "Müük", entry_hold: "Broneeritud", entry_release: "Tagastatud", entry_use: "Kasutatud", entry_expire: "Aegunud",
      entry_adjustment: "Korrigeerimine", adjust: "Korrigeeri", adjust_title: "Korrigeeri: {name}", units_change: "Korrad (+ või −)",
      units_hint: "Negatiivne arv võtab kordi ära", figures: "Paketid perioodil", from: "Alates", to: "Kuni", show: "Näita",
      plans_sold: "Müüdud paketid", sold_value: "Müüdud summas", units_used: "Kasutatud korrad", units_expired: "Aegunud korrad",
      deferred_revenue: "Edasilükkunud tulu (kasutamata korrad)", merge_tasks: "Ühendamist vajavad kliendikaardid",
      merge_line: "Broneering {reference}: sama inimene kahel kaardil" },
  },

  async render(root, ctx) {
    const { t, api, fmt, toast } = ctx;
    const writes = ctx.me.actions.includes("plans.write");
    const [{ plans: templates }, { services: list }, { tasks }] = await Promise.all([
      api("GET", "/admin/plans"), api("GET", "/admin/services"), api("GET", "/admin/merge-tasks")]);
    const services = Object.fromEntries(list.map((s) => [s.id, s.name]));
    const catalog = { services: list, categories: [...new Set(list.map((s) => s.category).filter(Boolean))] };
    const reload = () => this.render(root, ctx).catch(toast);
    const open = (template) => dialog(template ? t("edit_title", { name: template.name }) : t("new_plan"), (body, close) => {
      body.append(templateForm(ctx, template, catalog, async (form) => {
        if (template) await api("PATCH", `/admin/plans/${encodeURIComponent(template.id)}`, templateBody(form, template));
        else await api("POST", "/admin/plans", templateBody(form, null));
        close();
        toast(t("saved"), "ok");
        reload();
      }));
    }, t("close"));

    const clientBox = h("section", { class: "client-plans", "aria-live": "polite" });
    const figuresBox = h("section", { class: "plan-period" });
    const search = h("input", { type: "search", autocomplete: "off", maxlength: 100, "aria-controls": "plan-client-results" });
    const results = h("ul", { id: "plan-client-results", class: "plain" });
    let timer = null;
    const showClient = (client) => clientPlans(ctx, clientBox, client, templates, services, writes).catch(toast);
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = search.value.trim();
        if (q.length < 2) { mount(results); return; }
        const { clients } = await api("GET", `/admin/clients?q=${encodeURIComponent(q)}&limit=10`).catch((e) => { toast(e); return { clients: [] }; });
        mount(results, clients.map((c) => h("li", {}, h("button", { type: "button", class: "link",
          onclick: () => { ctx.navigate(`/plans/${encodeURIComponent(c.id)}`); } }, person(c)))));
      }, DEBOUNCE_MS);
    });

    mount(root, h("div", { class: "toolbar" }, h("h1", {}, t("nav")),
      writes && h("button", { type: "button", class: "primary", onclick: () => open(null) }, t("new_plan"))),
    templates.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid plan-templates" },
      h("thead", {}, h("tr", {}, ["name", "items", "price", "validity", "active"].map((k) => h("th", { scope: "col" }, t(k))),
        writes && h("th", { scope: "col" }, h("span", { class: "sr" }, t("edit"))))),
      h("tbody", {}, templates.map((tp) => h("tr", { dataset: { template: tp.id } },
        h("th", { scope: "row" }, tp.name), h("td", {}, tp.items.map((i) => itemText(ctx, i, services)).join(", ")),
        h("td", {}, fmt.money(tp.price)), h("td", {}, `${tp.validity.amount} ${t(`unit_${tp.validity.unit}`)}`),
        h("td", {}, h("span", { class: `badge ${tp.active ? "svc-active" : "svc-disabled"}` }, t(tp.active ? "on_sale" : "off_sale"))),
        writes && h("td", {}, h("button", { type: "button", "aria-label": t("edit_title", { name: tp.name }), onclick: () => open(tp) }, t("edit"))))))))
      : h("p", { class: "muted" }, t("none")),
    h("section", { class: "plan-client-search" }, h("h2", {}, t("client")), field(t("find_client"), search), results),
    clientBox, figuresBox,
    tasks.length ? h("section", { class: "merge-tasks" }, h("h2", {}, t("merge_tasks")), h("ul", {}, tasks.map((task) =>
      h("li", {}, t("merge_line", { reference: task.reference }), " ",
        task.clients.map((id) => h("a", { href: `#/clients/${encodeURIComponent(id)}` }, id)).reduce((a, b) => [a, " · ", b]))))) : null);
    figuresForm(ctx, figuresBox);
    if (ctx.params[0]) {
      const id = ctx.params[0];
      const client = await api("GET", `/admin/clients/${encodeURIComponent(id)}`);
      await showClient(client);
    }
  },
};

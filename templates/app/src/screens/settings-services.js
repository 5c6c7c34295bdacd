// Services (levels 1-3): what the salon offers, its length, buffers, price and status (active: bookable
// by everyone; internal: from the backoffice only; disabled: not bookable), and who performs it.
import { dialog, field, h, mount } from "../dom.js";
import { apiForm, values } from "./parts/forms.js";

const STATUSES = ["active", "internal", "disabled"];
const NUMBERS = ["duration_minutes", "buffer_before_minutes", "buffer_after_minutes"];

function serviceForm(ctx, service, staff, save) {
  const text = (name, attrs = {}) => field(ctx.t(name), h("input", { name, value: (service && service[name]) || "", ...attrs }));
  const minutes = (name, value) => field(ctx.t(name), h("input", { type: "number", name, min: 0, max: 1440, step: 5, value }));
  const performers = new Set((service && service.staff) || []);
  return apiForm(ctx, { class: "stack" }, save,
    h("div", { class: "form-grid" },
      text("name", { required: true, maxlength: 120 }),
      text("category", { maxlength: 80 }),
      minutes("duration_minutes", service ? service.duration_minutes : 30),
      minutes("buffer_before_minutes", service ? service.buffer_before_minutes : 0),
      minutes("buffer_after_minutes", service ? service.buffer_after_minutes : 0),
      field(ctx.t("price_in", { currency: ctx.fmt.currency }), h("input", { name: "price", inputmode: "decimal", required: true,
        pattern: "[0-9]+([.,][0-9]{1,2})?", value: service ? service.price : "" })),
      field(ctx.t("status"), h("select", { name: "status" }, STATUSES.map((s) =>
        h("option", { value: s, selected: (service ? service.status : "active") === s }, ctx.t(`status_${s}`)))))),
    field(ctx.t("description"), h("textarea", { name: "description", maxlength: 2000 }, (service && service.description) || "")),
    h("fieldset", { "data-field": "staff" }, h("legend", {}, ctx.t("performed_by")),
      staff.length ? staff.map((m) => h("div", { class: "check" },
        h("input", { type: "checkbox", id: `svc-staff-${m.id}`, name: "staff", value: m.id, checked: performers.has(m.id) }),
        h("label", { for: `svc-staff-${m.id}` }, m.name))) : h("p", { class: "muted" }, ctx.t("no_staff"))),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, ctx.t("save"))));
}

function serviceBody(form) {
  const body = values(form, ["name", "category", "description", "price", "status", ...NUMBERS]);
  body.category = body.category || "";
  body.description = body.description || "";
  if (body.price) body.price = body.price.replace(",", ".");
  body.staff = [...form.querySelectorAll('input[name="staff"]:checked')].map((el) => el.value);
  return body;
}

export default {
  id: "services",
  path: "/services",
  nav: "nav",
  requires: "services.write",
  order: 40,
  messages: {
    en: { nav: "Services", new_service: "New service", edit: "Edit", edit_title: "Edit {name}", name: "Name",
      category: "Category", description: "Description", duration_minutes: "Duration (minutes)",
      buffer_before_minutes: "Preparation before (minutes)", buffer_after_minutes: "Clean-up after (minutes)",
      price: "Price", price_in: "Price ({currency})", status: "Status", status_active: "Active",
      status_internal: "Internal (backoffice only)", status_disabled: "Disabled", performed_by: "Performed by",
      no_staff: "No staff yet.", none: "No services yet: add the first one.", saved: "Saved.", minutes: "{n} min" },
    es: { nav: "Servicios", new_service: "Nuevo servicio", edit: "Editar", edit_title: "Editar {name}", name: "Nombre",
      category: "Categoría", description: "Descripción", duration_minutes: "Duración (minutos)",
      buffer_before_minutes: "Preparación antes (minutos)", buffer_after_minutes: "Recogida después (minutos)",
      price: "Precio", price_in: "Precio ({currency})", status: "Estado", status_active: "Activo",
      status_internal: "Interno (solo desde el salón)", status_disabled: "Desactivado", performed_by: "Lo realizan",
      no_staff: "Aún no hay personal.", none: "Aún no hay servicios: añade el primero.", saved: "Guardado.", minutes: "{n} min" },
    it: { nav: "Servizi", new_service: "Nuovo servizio", edit: "Modifica", edit_title: "Modifica {name}", name: "Nome",
      category: "Categoria", description: "Descrizione", duration_minutes: "Durata (minuti)",
      buffer_before_minutes: "Preparazione prima (minuti)", buffer_after_minutes: "Riordino dopo (minuti)",
      price: "Prezzo", price_in: "Prezzo ({currency})", status: "Stato", status_active: "Attivo",
      status_internal: "Interno (solo dal gestionale)", status_disabled: "Disattivato", performed_by: "Lo eseguono",
      no_staff: "Ancora nessun collaboratore.", none: "Ancora nessun servizio: aggiungi il primo.", saved: "Salvato.", minutes: "{n} min" },
    cs: { nav: "Služby", new_service: "Nová služba", edit: "Upravit", edit_title: "Upravit {name}", name: "Název",
      category: "Kategorie", description: "Popis", duration_minutes: "Délka (minuty)",
      buffer_before_minutes: "Příprava předem (minuty)", buffer_after_minutes: "Úklid potom (minuty)",
      price: "Cena", price_in: "Cena ({currency})", status: "Stav", status_active: "Aktivní",
      status_internal: "Interní (jen z provozovny)", status_disabled: "Vypnutá", performed_by: "Provádí",
      no_staff: "Zatím žádní pracovníci.", none: "Zatím žádné služby: přidejte první.", saved: "Uloženo.", minutes: "{n} min" },
    et: { nav: "Teenused", new_service: "Uus teenus", edit: "Muuda", edit_title: "Muuda: {name}", name: "Nimi",
      category: "Kategooria", description: "Kirjeldus", duration_minutes: "Kestus (minutit)",
      buffer_before_minutes: "Ettevalmistus enne (minutit)", buffer_after_minutes: "Koristus pärast (minutit)",
      price: "Hind", price_in: "Hind ({currency})", status: "Olek", status_active: "Aktiivne",
      status_internal: "Sisemine (ainult salongist)", status_disabled: "Välja lülitatud", performed_by: "Teostajad",
      no_staff: "Töötajaid veel pole.", none: "Teenuseid veel pole: lisa esimene.", saved: "Salvestatud.", minutes: "{n} min" },
  },

  async render(root, ctx) {
    const { t, api, fmt, toast } = ctx;
    const [{ services }, { staff }] = await Promise.all([api("GET", "/admin/services"), api("GET", "/admin/staff")]);
    const names = Object.fromEntries(staff.map((m) => [m.id, m.name]));
    const reload = () => this.render(root, ctx).catch(toast);
    const open = (service) => dialog(service ? t("edit_title", { name: service.name }) : t("new_service"), (body, close) => {
      body.append(serviceForm(ctx, service, staff, async (form) => {
        if (service) await api("PATCH", `/admin/services/${encodeURIComponent(service.id)}`, serviceBody(form));
        else await api("POST", "/admin/services", serviceBody(form));
        close();
        toast(t("saved"), "ok");
        reload();
      }));
    }, t("close"));

    mount(root, h("div", { class: "toolbar" }, h("h1", {}, t("nav")),
      h("button", { type: "button", class: "primary", onclick: () => open(null) }, t("new_service"))),
    services.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid services" },
      h("thead", {}, h("tr", {}, ["name", "category", "duration_minutes", "price", "status", "performed_by"]
        .map((k) => h("th", { scope: "col" }, t(k))), h("th", { scope: "col" }, h("span", { class: "sr" }, t("edit"))))),
      h("tbody", {}, services.map((s) => h("tr", { dataset: { service: s.id } },
        h("th", { scope: "row" }, s.name), h("td", {}, s.category), h("td", {}, t("minutes", { n: s.duration_minutes })),
        h("td", {}, fmt.money(s.price)), h("td", {}, h("span", { class: `badge svc-${s.status}` }, t(`status_${s.status}`))),
        h("td", {}, s.staff.map((id) => names[id] || id).join(", ")),
        h("td", {}, h("button", { type: "button", "aria-label": t("edit_title", { name: s.name }), onclick: () => open(s) }, t("edit"))))))))
      : h("p", { class: "muted" }, t("none")));
  },
};

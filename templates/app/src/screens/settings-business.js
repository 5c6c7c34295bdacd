// The business's settings (administrators): profile, booking rules, opening hours and the booking
// secret code. Each part saves on its own (PATCH /admin/business with that part only).
import { field, h, mount } from "../dom.js";
import { apiForm, values, weekEditor, withEditorWords } from "./parts/forms.js";

const RULES = ["slot_step_minutes", "min_notice_minutes", "horizon_days", "client_change_notice_hours", "check_in_margin_minutes"];
const LIMITS = { slot_step_minutes: [5, 240, 5], min_notice_minutes: [0, 43200, 5], horizon_days: [1, 730, 1],
  client_change_notice_hours: [0, 720, 1], check_in_margin_minutes: [0, 1440, 5] };

function section(id, title, ...content) {
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

export default {
  id: "business",
  path: "/business",
  nav: "nav",
  requires: "settings.write",
  order: 60,
  messages: withEditorWords({
    en: { nav: "Business", title: "Business settings", profile: "Profile", name: "Business name", phone: "Phone",
      slug: "Booking page", rules: "Booking rules", slot_step_minutes: "Slot step (minutes)",
      min_notice_minutes: "Minimum notice (minutes)", horizon_days: "Bookable up to (days ahead)",
      approval: "Online bookings", approval_automatic: "Confirmed at once", approval_manual: "Wait for our approval",
      total_availability: "Clients may book with anyone free", client_changes: "Clients change or cancel online",
      changes_off: "No: they call us", changes_until: "Until some hours before", changes_anytime: "Until the start",
      client_change_notice_hours: "Hours of notice for online changes", check_in_margin_minutes: "Check-in margin (minutes)",
      hours: "Opening hours", code: "Booking secret code",
      code_hint: "4 to 6 digits. With a code, clients must type it to book online; leave empty for none.",
      secret_code: "Secret code", saved: "Saved." },
    es: { nav: "Negocio", title: "Ajustes del negocio", profile: "Perfil", name: "Nombre del negocio", phone: "Teléfono",
      slug: "Página de reservas", rules: "Reglas de reserva", slot_step_minutes: "Intervalo de horas (minutos)",
      min_notice_minutes: "Antelación mínima (minutos)", horizon_days: "Reservable hasta (días)",
      approval: "Reservas en línea", approval_automatic: "Confirmadas al momento", approval_manual: "Esperan nuestra aprobación",
      total_availability: "Se puede reservar con cualquiera libre", client_changes: "Cambios y cancelaciones en línea",
      changes_off: "No: nos llaman", changes_until: "Hasta unas horas antes", changes_anytime: "Hasta el inicio",
      client_change_notice_hours: "Horas de antelación para cambios", check_in_margin_minutes: "Margen de llegada (minutos)",
      hours: "Horario de apertura", code: "Código secreto de reserva",
      code_hint: "De 4 a 6 cifras. Con código, el cliente debe escribirlo para reservar; vacío para ninguno.",
      secret_code: "Código secreto", saved: "Guardado." },
    it: { nav: "Attività", title: "Impostazioni dell'attività", profile: "Profilo", name: "Nome dell'attività",
      phone: "Telefono", slug: "Pagina di prenotazione", rules: "Regole di prenotazione",
      slot_step_minutes: "Passo degli orari (minuti)", min_notice_minutes: "Preavviso minimo (minuti)",
      horizon_days: "Prenotabile fino a (giorni)", approval: "Prenotazioni online",
      approval_automatic: "Confermate subito", approval_manual: "Attendono la nostra approvazione",
      total_availability: "Prenotabile con chiunque sia libero", client_changes: "Modifiche e disdette online",
      changes_off: "No: ci telefonano", changes_until: "Fino ad alcune ore prima", changes_anytime: "Fino all'inizio",
      client_change_notice_hours: "Ore di preavviso per le modifiche", check_in_margin_minutes: "Margine di arrivo (minuti)",
      hours: "Orari di apertura", code: "Codice segreto di prenotazione",
      code_hint: "Da 4 a 6 cifre. Con un codice, i clienti devono digitarlo per prenotare; vuoto per nessuno.",
      secret_code: "Codice segreto", saved: "Salvato." },
    cs: { nav: "Provozovna", title: "Nastavení provozovny", profile: "Profil", name: "Název provozovny", phone: "Telefon",
      slug: "Rezervační stránka", rules: "Pravidla rezervací", slot_step_minutes: "Krok časů (minuty)",
      min_notice_minutes: "Nejkratší předstih (minuty)", horizon_days: "Rezervovat lze až (dní dopředu)",
      approval: "Online rezervace", approval_automatic: "Potvrzeny hned", approval_manual: "Čekají na naše schválení",
      total_availability: "Lze rezervovat u kohokoli volného", client_changes: "Změny a zrušení online",
      changes_off: "Ne: zavolají nám", changes_until: "Do několika hodin předem", changes_anytime: "Až do začátku",
      client_change_notice_hours: "Hodiny předstihu pro změny", check_in_margin_minutes: "Rezerva pro příchod (minuty)",
      hours: "Otevírací doba", code: "Tajný kód pro rezervace",
      code_hint: "4 až 6 číslic. S kódem jej klient musí zadat, aby mohl rezervovat; prázdné = bez kódu.",
      secret_code: "Tajný kód", saved: "Uloženo." },
    et: { nav: "Ettevõte", title: "Ettevõtte seaded", profile: "Profiil", name: "Ettevõtte nimi", phone: "Telefon",
      slug: "Broneerimisleht", rules: "Broneerimise reeglid", slot_step_minutes: "Aegade samm (minutit)",
      min_notice_minutes: "Minimaalne etteteatamine (minutit)", horizon_days: "Broneeritav kuni (päeva ette)",
      approval: "Veebibroneeringud", approval_automatic: "Kinnitatakse kohe", approval_manual: "Ootavad meie kinnitust",
      total_availability: "Broneerida saab igaühe juurde, kes on vaba", client_changes: "Muudatused ja tühistamised veebis",
      changes_off: "Ei: nad helistavad", changes_until: "Kuni mõni tund enne", changes_anytime: "Kuni alguseni",
      client_change_notice_hours: "Etteteatamine muudatusteks (tundi)", check_in_margin_minutes: "Saabumise varu (minutit)",
      hours: "Lahtiolekuajad", code: "Broneerimise salakood",
      code_hint: "4 kuni 6 numbrit. Koodi korral peab klient selle broneerimiseks sisestama; tühi = koodita.",
      secret_code: "Salakood", saved: "Salvestatud." },
  }),

  async render(root, ctx) {
    const { t, api, toast } = ctx;
    let business = await api("GET", "/admin/business");
    const save = async (changes) => {
      business = await api("PATCH", "/admin/business", changes);
      toast(t("saved"), "ok");
    };
    const rules = business.booking_rules;
    const number = (name) => {
      const [min, max, step] = LIMITS[name];
      return field(t(name), h("input", { type: "number", name: `booking_rules.${name}`, min, max, step, value: rules[name] }));
    };
    const choice = (name, options) => field(t(name), h("select", { name: `booking_rules.${name}` },
      options.map(([value, label]) => h("option", { value, selected: rules[name] === value }, t(label)))));
    const week = weekEditor(ctx, business.opening_hours, "opening_hours");
    const bookingPage = new URL(`../b/${encodeURIComponent(business.slug)}`, document.baseURI).href;

    mount(root, h("h1", {}, t("title")),
      section("biz-profile", t("profile"), apiForm(ctx, {}, (form) => save(values(form, ["name", "phone"])),
        h("div", { class: "form-grid" },
          field(t("name"), h("input", { name: "name", required: true, maxlength: 120, value: business.name })),
          field(t("phone"), h("input", { name: "phone", type: "tel", maxlength: 40, value: business.phone || "" }))),
        h("p", {}, `${t("slug")}: `, h("a", { href: bookingPage, target: "_blank", rel: "noopener" }, bookingPage)),
        h("button", { type: "submit", class: "primary" }, t("save")))),
      section("biz-rules", t("rules"), apiForm(ctx, {}, (form) => {
        const found = values(form, RULES.map((n) => `booking_rules.${n}`));
        const changes = Object.fromEntries(RULES.map((n) => [n, found[`booking_rules.${n}`]]));
        changes.approval = form.elements.namedItem("booking_rules.approval").value;
        changes.client_changes = form.elements.namedItem("booking_rules.client_changes").value;
        changes.total_availability = form.elements.namedItem("booking_rules.total_availability").checked;
        return save({ booking_rules: changes });
      },
      h("div", { class: "form-grid" }, RULES.slice(0, 3).map(number),
        choice("approval", [["automatic", "approval_automatic"], ["manual", "approval_manual"]]),
        choice("client_changes", [["off", "changes_off"], ["until", "changes_until"], ["anytime", "changes_anytime"]]),
        RULES.slice(3).map(number)),
      h("div", { class: "check" }, h("input", { type: "checkbox", id: "biz-total", name: "booking_rules.total_availability",
        checked: rules.total_availability }), h("label", { for: "biz-total" }, t("total_availability"))),
      h("button", { type: "submit", class: "primary" }, t("save")))),
      section("biz-hours", t("hours"), apiForm(ctx, {}, () => save({ opening_hours: week.value() }),
        h("div", { class: "table-wrap" }, week.el), h("button", { type: "submit", class: "primary" }, t("save")))),
      section("biz-code", t("code"), apiForm(ctx, {}, (form) => save({ secret_code: values(form, ["secret_code"]).secret_code }),
        field(t("secret_code"), h("input", { name: "secret_code", inputmode: "numeric", pattern: "[0-9]{4,6}", maxlength: 6,
          autocomplete: "off", value: business.secret_code || "" }), t("code_hint")),
        h("button", { type: "submit", class: "primary" }, t("save")))));
  },
};

// Privacy (administrators): retention, off by default. When on, a nightly job erases the clients not seen for
// more than the chosen months, as "Erase client" on a client's profile does (PUT /admin/privacy/retention).
import { field, h, mount } from "../dom.js";
import { apiForm } from "./parts/forms.js";

const MIN_MONTHS = 6;
const MAX_MONTHS = 240;

export default {
  id: "privacy",
  path: "/privacy",
  nav: "nav",
  requires: "settings.write",
  order: 65,
  messages: {
    en: { nav: "Privacy", title: "Privacy", retention: "Retention", on: "Erase clients who have not come for a long time",
      months: "Months without an appointment", saved: "Saved.", off_now: "Off: clients are kept until erased by hand.",
      on_now: "On: every night, clients with no appointment for more than {n} months are erased.",
      hint: "From {min} to {max}. A future booking counts as coming. Erasing keeps the accounts, not the person." },
    es: { nav: "Privacidad", title: "Privacidad", retention: "Conservación",
      on: "Suprimir a los clientes que no vienen desde hace mucho", months: "Meses sin citas", saved: "Guardado.",
      off_now: "Desactivada: los clientes se conservan hasta suprimirlos a mano.",
      on_now: "Activada: cada noche se suprimen los clientes sin citas desde hace más de {n} meses.",
      hint: "De {min} a {max}. Una cita futura cuenta como venir. Suprimir conserva las cuentas, no a la persona." },
    it: { nav: "Privacy", title: "Privacy", retention: "Conservazione",
      on: "Cancella i clienti che non vengono da molto tempo", months: "Mesi senza appuntamenti", saved: "Salvato.",
      off_now: "Disattivata: i clienti restano finché non li cancelli a mano.",
      on_now: "Attiva: ogni notte si cancellano i clienti senza appuntamenti da più di {n} mesi.",
      hint: "Da {min} a {max}. Un appuntamento futuro conta come venire. La cancellazione conserva i conti, non la persona." },
    cs: { nav: "Soukromí", title: "Soukromí", retention: "Uchovávání",
      on: "Vymazat klienty, kteří dlouho nepřišli", months: "Měsíce bez rezervace", saved: "Uloženo.",
      off_now: "Vypnuto: klienti zůstávají, dokud je nevymažete ručně.",
      on_now: "Zapnuto: každou noc se vymažou klienti bez rezervace déle než {n} měsíců.",
      hint: "Od {min} do {max}. Budoucí rezervace se počítá jako návštěva. Výmaz zachová účetnictví, ne osobu." },
    et: { nav: "Privaatsus", title: "Privaatsus", retention: "Säilitamine",
      on: "Kustuta kliendid, kes pole ammu käinud", months: "Kuud ilma broneeringuta", saved: "Salvestatud.",
      off_now: "Väljas: kliendid jäävad alles, kuni nad käsitsi kustutatakse.",
      on_now: "Sees: igal ööl kustutatakse kliendid, kellel pole olnud broneeringut üle {n} kuu.",
      hint: "{min} kuni {max}. Tulevane broneering loeb käimiseks. Kustutamine säilitab arvestuse, mitte isiku." },
  },

  async render(root, ctx) {
    const { t, api, toast } = ctx;
    let { retention_months: months } = await api("GET", "/admin/privacy/retention");
    const state = h("p", { role: "status", dataset: { retention: months ? "on" : "off" } });
    const show = () => {
      state.textContent = months ? t("on_now", { n: months }) : t("off_now");
      state.dataset.retention = months ? "on" : "off";
    };
    const number = h("input", { type: "number", name: "retention_months", min: MIN_MONTHS, max: MAX_MONTHS, step: 1,
      value: months || 24, disabled: !months });
    const toggle = h("input", { type: "checkbox", id: "privacy-on", checked: Boolean(months),
      onchange: () => { number.disabled = !toggle.checked; } });
    show();
    mount(root, h("h1", {}, t("title")),
      h("section", { class: "card", "aria-labelledby": "privacy-retention" },
        h("h2", { id: "privacy-retention" }, t("retention")), state,
        apiForm(ctx, {}, async () => {
          // on with no number: "" goes as typed, and the API's error shows beside the field
          const wanted = !toggle.checked ? null : number.value === "" ? "" : Number(number.value);
          ({ retention_months: months } = await api("PUT", "/admin/privacy/retention", { retention_months: wanted }));
          show();
          toast(t("saved"), "ok");
        },
        h("div", { class: "check" }, toggle, h("label", { for: "privacy-on" }, t("on"))),
        field(t("months"), number, t("hint", { min: MIN_MONTHS, max: MAX_MONTHS })),
        h("button", { type: "submit", class: "primary" }, t("save")))));
  },
};

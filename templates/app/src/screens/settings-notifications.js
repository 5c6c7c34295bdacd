// What the business sends its clients (administrators): each kind of message by email and by SMS, the
// reminders' lead times, the SMS mode, and the business's own texts with a live preview on a sample
// booking (the preview shows an SMS's segment count, which is what an SMS costs).
import { field, h, mount } from "../dom.js";
import { apiForm, clearErrors, showError } from "./parts/forms.js";
import { WORDS } from "./parts/words.js";

const KINDS = ["pending", "confirmed", "rejected", "cancelled", "rescheduled", "reminder", "offer", "offer_expired"];
const CHANNELS = ["email", "sms"];
const MODES = ["cheapest", "as_written", "gsm7"];
const PREVIEW_DEBOUNCE_MS = 400;

function preferencesForm(ctx, settings, saved) {
  const { t } = ctx;
  const hours = (i) => {
    const minutes = settings.reminder_lead_minutes[i];
    return field(t(i ? "reminder_2" : "reminder_1"), h("input", { type: "number", name: `lead_${i}`, min: 0.25, max: 336,
      step: 0.25, required: i === 0, value: minutes === undefined ? "" : minutes / 60, "data-field": i ? null : "reminder_lead_minutes" }),
    i ? t("reminder_2_hint") : null);
  };
  return apiForm(ctx, { class: "stack" }, async (form) => {
    const channels = Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(CHANNELS.map((c) =>
      [c, form.elements.namedItem(`channels.${k}.${c}`).checked]))]));
    const leads = [0, 1].map((i) => form.elements.namedItem(`lead_${i}`).value).filter((v) => v !== "")
      .map((v) => Math.round(Number(v) * 60));
    await ctx.api("PUT", "/admin/notifications", { channels, reminder_lead_minutes: leads,
      sms_mode: form.elements.namedItem("sms_mode").value });
    ctx.toast(t("saved"), "ok");
    saved();
  },
  h("div", { class: "table-wrap" }, h("table", { class: "grid channels" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("kind")), CHANNELS.map((c) => h("th", { scope: "col" }, t(`ch_${c}`))))),
    h("tbody", {}, KINDS.map((k) => h("tr", {}, h("th", { scope: "row" }, t(`kind_${k}`)),
      CHANNELS.map((c) => h("td", {}, h("input", { type: "checkbox", name: `channels.${k}.${c}`,
        "aria-label": `${t(`kind_${k}`)}: ${t(`ch_${c}`)}`, checked: settings.channels[k][c] })))))))),
  h("div", { class: "form-grid" }, hours(0), hours(1),
    field(t("sms_mode"), h("select", { name: "sms_mode" }, MODES.map((m) =>
      h("option", { value: m, selected: settings.sms_mode === m }, t(`mode_${m}`)))), t("sms_mode_hint"))),
  h("button", { type: "submit", class: "primary" }, t("save")));
}

function textsPart(ctx, settings) {
  const { t, api, toast } = ctx;
  const texts = new Map(settings.custom_texts.map((x) => [`${x.kind}/${x.channel}`, x]));
  const kind = h("select", { name: "kind" }, KINDS.map((k) => h("option", { value: k }, t(`kind_${k}`))));
  const channel = h("select", { name: "channel" }, CHANNELS.map((c) => h("option", { value: c }, t(`ch_${c}`))));
  const subject = h("input", { name: "subject", maxlength: 200, autocomplete: "off" });
  const subjectField = field(t("subject"), subject);
  const body = h("textarea", { name: "body", rows: 8, maxlength: 10000 });
  const origin = h("p", { class: "muted" });
  const preview = h("div", { class: "preview", "aria-live": "polite", "aria-busy": "false", id: "text-preview" });
  let timer = null;
  let asked = 0;

  const variables = h("p", {}, t("variables"), " ", settings.variables.map((v) => h("button", { type: "button",
    class: "link variables", onclick: () => {
      const at = body.selectionStart ?? body.value.length;
      body.setRangeText(`{{ ${v} }}`, at, body.selectionEnd ?? at, "end");
      body.focus();
      schedule();
    } }, h("code", {}, `{{ ${v} }}`))));

  const form = apiForm(ctx, { class: "stack" }, async () => {
    const saved = await api("PUT", `/admin/notifications/texts/${kind.value}/${channel.value}`, textBody());
    texts.set(`${saved.kind}/${saved.channel}`, saved);
    origin.textContent = t("own_text");
    toast(t("saved"), "ok");
  },
  h("div", { class: "form-grid" }, field(t("kind"), kind), field(t("channel"), channel)),
  subjectField, field(t("body"), body, t("body_hint")), variables, origin,
  h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("save_text")),
    h("button", { type: "button", onclick: async () => {
      try {
        await api("DELETE", `/admin/notifications/texts/${kind.value}/${channel.value}`);
        texts.delete(`${kind.value}/${channel.value}`);
        load();
        toast(t("default_back"), "ok");
      } catch (error) { toast(error); }
    } }, t("use_default"))));

  function textBody() {
    const out = { body: body.value };
    if (channel.value === "email") out.subject = subject.value;
    return out;
  }

  async function refresh() {
    const ask = ++asked;
    const request = { kind: kind.value, channel: channel.value, ...(body.value.trim() ? textBody() : {}) };
    preview.setAttribute("aria-busy", "true");
    try {
      const found = await api("POST", "/admin/notifications/preview", request);
      if (ask !== asked) return;
      clearErrors(form);
      mount(preview, found.channel === "email"
        ? [h("p", { class: "preview-subject" }, found.subject), h("div", { class: "preview-text" }, found.text)]
        : [h("div", { class: "preview-text" }, found.text), h("p", { class: "muted segments" },
          t("segments", { n: found.segments, encoding: found.encoding }))]);
    } catch (error) {
      if (ask !== asked) return;
      clearErrors(form);
      showError(form, error, toast);
    } finally {
      if (ask === asked) preview.setAttribute("aria-busy", "false");
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DEBOUNCE_MS);
  }

  function load() {
    const own = texts.get(`${kind.value}/${channel.value}`);
    subjectField.hidden = channel.value !== "email";
    subject.value = (own && own.subject) || "";
    body.value = (own && own.body) || "";
    origin.textContent = own ? t("own_text") : t("default_text");
    clearErrors(form);
    refresh();
  }

  kind.addEventListener("change", load);
  channel.addEventListener("change", load);
  body.addEventListener("input", schedule);
  subject.addEventListener("input", schedule);
  load();
  return { el: h("div", { class: "split" }, form, h("div", {}, h("h3", {}, t("preview")), preview)),
    refresh, stop: () => clearTimeout(timer) };
}

export default {
  id: "notifications",
  path: "/notifications",
  nav: "nav",
  requires: "settings.write",
  order: 70,
  messages: {
    en: { ...WORDS.en, nav: "Messages", title: "Messages to clients", sending: "What is sent", kind: "Message",
      channel: "Channel", reminder_1: "Reminder (hours before)", reminder_2: "Second reminder (hours before)",
      reminder_2_hint: "Optional.", sms_mode: "SMS mode", mode_cheapest: "Cheapest: drop accents when it saves a segment",
      mode_as_written: "As written (accents kept)", mode_gsm7: "Always plain characters (GSM-7)",
      sms_mode_hint: "An SMS segment holds 160 plain characters, or 70 with special ones.", texts: "Texts",
      subject: "Subject", body: "Text", body_hint: "Leave empty to send Turno's default text. Variables go in {{ }}.",
      variables: "Insert:", own_text: "Your own text is in use.", default_text: "The default text is in use.",
      save_text: "Save text", use_default: "Use the default text", default_back: "The default text is back.",
      preview: "Preview on a sample booking", segments: "{n} SMS segment(s), {encoding}", saved: "Saved." },
    es: { ...WORDS.es, nav: "Mensajes", title: "Mensajes a clientes", sending: "Qué se envía", kind: "Mensaje",
      channel: "Canal", reminder_1: "Recordatorio (horas antes)", reminder_2: "Segundo recordatorio (horas antes)",
      reminder_2_hint: "Opcional.", sms_mode: "Modo SMS", mode_cheapest: "El más barato: sin acentos si ahorra un segmento",
      mode_as_written: "Tal cual (con acentos)", mode_gsm7: "Siempre caracteres simples (GSM-7)",
      sms_mode_hint: "Un segmento SMS lleva 160 caracteres simples, o 70 con especiales.", texts: "Textos",
      subject: "Asunto", body: "Texto", body_hint: "Vacío para enviar el texto de Turno. Las variables van entre {{ }}.",
      variables: "Insertar:", own_text: "Se usa tu propio texto.", default_text: "Se usa el texto predeterminado.",
      save_text: "Guardar texto", use_default: "Usar el texto predeterminado", default_back: "Vuelve el texto predeterminado.",
      preview: "Vista previa con una cita de ejemplo", segments: "{n} segmento(s) SMS, {encoding}", saved: "Guardado." },
    it: { ...WORDS.it, nav: "Messaggi", title: "Messaggi ai clienti", sending: "Cosa si invia", kind: "Messaggio",
      channel: "Canale", reminder_1: "Promemoria (ore prima)", reminder_2: "Secondo promemoria (ore prima)",
      reminder_2_hint: "Facoltativo.", sms_mode: "Modalità SMS", mode_cheapest: "Più economica: senza accenti se risparmia un segmento",
      mode_as_written: "Come scritto (accenti mantenuti)", mode_gsm7: "Sempre caratteri semplici (GSM-7)",
      sms_mode_hint: "Un segmento SMS contiene 160 caratteri semplici, o 70 con caratteri speciali.", texts: "Testi",
      subject: "Oggetto", body: "Testo", body_hint: "Vuoto per inviare il testo di Turno. Le variabili vanno tra {{ }}.",
      variables: "Inserisci:", own_text: "È in uso il tuo testo.", default_text: "È in uso il testo predefinito.",
      save_text: "Salva testo", use_default: "Usa il testo predefinito", default_back: "Torna il testo predefinito.",
      preview: "Anteprima su un appuntamento di esempio", segments: "{n} segmento/i SMS, {encoding}", saved: "Salvato." },
    cs: { ...WORDS.cs, nav: "Zprávy", title: "Zprávy klientům", sending: "Co se posílá", kind: "Zpráva",
      channel: "Kanál", reminder_1: "Připomínka (hodin předem)", reminder_2: "Druhá připomínka (hodin předem)",
      reminder_2_hint: "Nepovinné.", sms_mode: "Režim SMS", mode_cheapest: "Nejlevnější: bez diakritiky, pokud ušetří segment",
      mode_as_written: "Jak je napsáno (s diakritikou)", mode_gsm7: "Vždy jednoduché znaky (GSM-7)",
      sms_mode_hint: "Segment SMS pojme 160 jednoduchých znaků, nebo 70 se speciálními.", texts: "Texty",
      subject: "Předmět", body: "Text", body_hint: "Prázdné = výchozí text Turna. Proměnné se píší do {{ }}.",
      variables: "Vložit:", own_text: "Používá se váš vlastní text.", default_text: "Používá se výchozí text.",
      save_text: "Uložit text", use_default: "Použít výchozí text", default_back: "Výchozí text je zpět.",
      preview: "Náhled na vzorové rezervaci", segments: "Segmentů SMS: {n}, {encoding}", saved: "Uloženo." },
    et: { ...WORDS.et, nav: "Sõnumid", title: "Sõnumid klientidele", sending: "Mida saadetakse", kind: "Sõnum",
      channel: "Kanal", reminder_1: "Meeldetuletus (tundi enne)", reminder_2: "Teine meeldetuletus (tundi enne)",
      reminder_2_hint: "Valikuline.", sms_mode: "SMS-i režiim", mode_cheapest: "Odavaim: ilma täpitähtedeta, kui see säästab segmendi",
      mode_as_written: "Nagu kirjutatud (täpitähtedega)", mode_gsm7: "Alati lihtsad märgid (GSM-7)",
      sms_mode_hint: "SMS-i segmenti mahub 160 lihtsat märki või 70 erimärkidega.", texts: "Tekstid",
      subject: "Teema", body: "Tekst", body_hint: "Tühi = Turno vaiketekst. Muutujad käivad {{ }} sisse.",
      variables: "Lisa:", own_text: "Kasutusel on teie oma tekst.", default_text: "Kasutusel on vaiketekst.",
      save_text: "Salvesta tekst", use_default: "Kasuta vaiketeksti", default_back: "Vaiketekst on tagasi.",
      preview: "Eelvaade näidisbroneeringul", segments: "SMS-i segmente: {n}, {encoding}", saved: "Salvestatud." },
  },

  async render(root, ctx) {
    const settings = await ctx.api("GET", "/admin/notifications");
    const texts = textsPart(ctx, settings);
    mount(root, h("h1", {}, ctx.t("title")),
      h("section", { class: "card", "aria-labelledby": "msg-sending" }, h("h2", { id: "msg-sending" }, ctx.t("sending")),
        preferencesForm(ctx, settings, texts.refresh)), // the SMS mode changes the preview's segments
      h("section", { class: "card", "aria-labelledby": "msg-texts" }, h("h2", { id: "msg-texts" }, ctx.t("texts")), texts.el));
    return texts.stop;
  },
};

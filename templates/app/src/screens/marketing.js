// Marketing (levels 1-3 read, 1-2 send): loyal, dormant and filtered clients, a campaign composed from the view
// shown (email and/or SMS), its preview (recipients per channel, who is left out and why, the month's SMS
// quota), sending, the campaigns' figures, and a client's consent with its history.
import { h, field, mount, dialog } from "../dom.js";

const REASONS = ["do_not_contact", "no_address", "bounced", "unsubscribed", "stop", "no_consent", "capped"];
const W = {
  en: ["Marketing", "View", "Loyal clients", "Dormant clients", "Filter", "From", "To", "Absent for (days)", "Text",
    "Services (ids, comma-separated)", "Min visits", "Min spend", "Show", "Client", "Visits", "Spend", "Last visit",
    "Absent (days)", "Booked ahead", "Consent", "New campaign from this view", "Name", "Email subject", "Email text",
    "SMS text", "Preview", "Send", "Recipients", "Left out", "SMS this month", "Campaigns", "Status", "Sent",
    "Delivered", "Failed", "Unsubscribed", "Bookings", "Revenue", "More", "Nothing here.", "Sent: the messages are on their way.",
    "Clients seen", "New", "Returning", "Rebooked %", "Average ticket", "Channel", "Purpose", "Given", "Source",
    "When", "Wording", "Yes", "No", "Not asked", "Record consent", "Words the client agreed to", "Saved",
    "Erased (do not contact)", "No address", "Bounced", "Unsubscribed", "Replied STOP", "No consent", "Capped",
    "email", "SMS", "marketing", "service messages"],
  es: ["Marketing", "Vista", "Clientes fieles", "Clientes inactivos", "Filtro", "Desde", "Hasta", "Ausentes desde (días)",
    "Texto", "Servicios (ids, separados por comas)", "Visitas mín.", "Gasto mín.", "Ver", "Cliente", "Visitas", "Gasto",
    "Última visita", "Ausente (días)", "Con cita", "Consentimiento", "Nueva campaña con esta vista", "Nombre",
    "Asunto del email", "Texto del email", "Texto del SMS", "Vista previa", "Enviar", "Destinatarios", "Excluidos",
    "SMS este mes", "Campañas", "Estado", "Enviados", "Entregados", "Fallidos", "Bajas", "Reservas", "Ingresos",
    "Más", "Nada aquí.", "Enviada: los mensajes están en camino.", "Clientes atendidos", "Nuevos", "Recurrentes",
    "Vuelven a reservar %", "Ticket medio", "Canal", "Finalidad", "Dado", "Origen", "Cuándo", "Texto mostrado",
    "Sí", "No", "No preguntado", "Registrar consentimiento", "Palabras que aceptó el cliente", "Guardado",
    "Borrado (no contactar)", "Sin dirección", "Rebotado", "Dado de baja", "Respondió STOP", "Sin consentimiento",
    "Límite alcanzado", "email", "SMS", "marketing", "mensajes de servicio"],
  it: ["Marketing", "Vista", "Clienti fedeli", "Clienti dormienti", "Filtro", "Dal", "Al", "Assenti da (giorni)", "Testo",
    "Servizi (id, separati da virgole)", "Visite min.", "Spesa min.", "Mostra", "Cliente", "Visite", "Spesa",
    "Ultima visita", "Assente (giorni)", "Prenotato", "Consenso", "Nuova campagna da questa vista", "Nome",
    "Oggetto email", "Testo email", "Testo SMS", "Anteprima", "Invia", "Destinatari", "Esclusi", "SMS questo mese",
    "Campagne", "Stato", "Inviati", "Consegnati", "Falliti", "Disiscritti", "Prenotazioni", "Incasso", "Altri",
    "Niente qui.", "Inviata: i messaggi sono in partenza.", "Clienti visti", "Nuovi", "Di ritorno", "Riprenotano %",
    "Scontrino medio", "Canale", "Finalità", "Dato", "Origine", "Quando", "Testo mostrato", "Sì", "No",
    "Non chiesto", "Registra consenso", "Parole accettate dal cliente", "Salvato", "Cancellato (non contattare)",
    "Nessun indirizzo", "Rimbalzato", "Disiscritto", "Ha risposto STOP", "Nessun consenso", "Limite raggiunto",
    "email", "SMS", "marketing", "messaggi di servizio"],
  cs: ["Marketing", "Pohled", "Věrní klienti", "Spící klienti", "Filtr", "Od", "Do", "Nepřišli (dní)", "Text",
    "Služby (id oddělená čárkou)", "Min. návštěv", "Min. útrata", "Zobrazit", "Klient", "Návštěvy", "Útrata",
    "Poslední návštěva", "Nepřišel (dní)", "Objednán", "Souhlas", "Nová kampaň z tohoto pohledu", "Název",
    "Předmět e-mailu", "Text e-mailu", "Text SMS", "Náhled", "Odeslat", "Příjemci", "Vynecháno", "SMS tento měsíc",
    "Kampaně", "Stav", "Odesláno", "Doručeno", "Selhalo", "Odhlášeno", "Rezervace", "Tržba", "Další", "Nic tu není.",
    "Odesláno: zprávy jsou na cestě.", "Obsloužení klienti", "Noví", "Vracející se", "Znovu objednaní %",
    "Průměrná útrata", "Kanál", "Účel", "Udělen", "Zdroj", "Kdy", "Znění", "Ano", "Ne", "Nedotázán",
    "Zaznamenat souhlas", "Slova, se kterými klient souhlasil", "Uloženo", "Vymazán (nekontaktovat)", "Bez adresy",
    "Nedoručitelné", "Odhlášen", "Odpověděl STOP", "Bez souhlasu", "Limit", "e-mail", "SMS", "marketing",
    "servisní zprávy"],
  et: ["Turundus", "Vaade", "Püsikliendid", "Uinuvad kliendid", "Filter", "Alates", "Kuni", "Puudunud (päeva)", "Tekst",
    "Teenused (id-d komaga)", "Min külastusi", "Min kulutus", "Näita", "Klient", "Külastused", "Kulutus",
    "Viimane külastus", "Puudunud (päeva)", "Broneeritud", "Nõusolek", "Uus kampaania sellest vaatest", "Nimi",
    "E-kirja teema", "E-kirja tekst", "SMS-i tekst", "Eelvaade", "Saada", "Saajad", "Välja jäetud", "SMS-e sel kuul",
    "Kampaaniad", "Olek", "Saadetud", "Kohale jõudnud", "Ebaõnnestunud", "Loobunud", "Broneeringud", "Tulu",
    "Veel", "Siin pole midagi.", "Saadetud: sõnumid on teel.", "Teenindatud kliendid", "Uued", "Tagasitulijad",
    "Broneerisid uuesti %", "Keskmine ostukorv", "Kanal", "Eesmärk", "Antud", "Allikas", "Millal", "Sõnastus",
    "Jah", "Ei", "Küsimata", "Salvesta nõusolek", "Sõnad, millega klient nõustus", "Salvestatud",
    "Kustutatud (ära võta ühendust)", "Aadress puudub", "Tagastatud", "Loobunud", "Vastas STOP", "Nõusolek puudub",
    "Piirang", "e-post", "SMS", "turundus", "teenindussõnumid"],
};
const KEYS = ["nav", "view", "loyal", "dormant", "filter", "from", "to", "days", "text", "services", "min_visits",
  "min_spend", "show", "client", "visits", "spend", "last_visit", "absent_days", "booked_ahead", "consent",
  "new_campaign", "name", "email_subject", "email_body", "sms_body", "preview", "send", "recipients", "excluded",
  "sms_quota", "campaigns", "status", "sent", "delivered", "failed", "unsubscribed", "bookings", "revenue", "more",
  "empty", "sent_ok", "clients_seen", "new", "returning", "rebooked_percent", "average_ticket", "channel", "purpose",
  "granted", "source", "at", "wording", "yes", "no", "not_asked", "record", "agreed_words", "saved",
  ...REASONS, "email", "sms", "marketing", "service"];
const M = Object.fromEntries(Object.entries(W).map(([lang, words]) => [lang, Object.fromEntries(KEYS.map((k, i) => [k, words[i]]))]));

function monthStart(day) { return `${day.slice(0, 7)}-01`; }

export default {
  id: "marketing",
  path: "/marketing",
  nav: "nav",
  requires: "marketing.read",
  order: 80,
  messages: M,

  async render(root, ctx) {
    const { api, t, fmt, toast, me } = ctx;
    const mayWrite = me.actions.includes("marketing.send");
    const view = h("select", { name: "view" }, ["dormant", "loyal", "filter"].map((v) => h("option", { value: v }, t(v))));
    const from = h("input", { type: "date", name: "from", value: monthStart(fmt.today()) });
    const to = h("input", { type: "date", name: "to", value: fmt.today() });
    const days = h("input", { type: "number", name: "days", min: 1, max: 3650, value: 90 });
    const text = h("input", { type: "search", name: "text", maxlength: 100 });
    const services = h("input", { type: "text", name: "services" });
    const minVisits = h("input", { type: "number", name: "min_visits", min: 0 });
    const minSpend = h("input", { type: "text", name: "min_spend", inputmode: "decimal" });
    const out = h("div", { class: "marketing-view", "aria-live": "polite" });
    const campaignsOut = h("section", { class: "marketing-campaigns" });
    let audience = null;

    function params() {
      const q = { view: view.value };
      if (view.value === "dormant") q.days = days.value;
      else { if (from.value) q.from = from.value; if (to.value) q.to = to.value; }
      if (view.value === "filter") {
        if (text.value.trim()) q.text = text.value.trim();
        if (services.value.trim()) q.services = services.value.trim();
        if (minVisits.value) q.min_visits = minVisits.value;
        if (minSpend.value.trim()) q.min_spend = minSpend.value.trim();
      }
      if (view.value === "loyal" && minSpend.value.trim()) q.min_spend = minSpend.value.trim();
      return q;
    }
    async function show(cursor) {
      const q = new URLSearchParams(params());
      if (cursor) q.set("cursor", cursor);
      const page = await api("GET", `/admin/marketing/clients?${q}`);
      audience = page.audience;
      const rows = page.clients.map((c) => h("tr", { dataset: { client: c.client } },
        h("td", {}, c.name || c.client), h("td", {}, String(c.visits)), h("td", {}, fmt.money(c.spend)),
        h("td", {}, c.last_visit ? fmt.date(c.last_visit) : "—"), h("td", {}, c.absent_days ?? "—"),
        h("td", {}, c.booked_ahead ? t("yes") : t("no")),
        h("td", {}, h("button", { type: "button", onclick: () => consent(c).catch(toast) }, t("consent")))));
      const indicators = page.indicators ? h("dl", { class: "indicators" },
        ["clients_seen", "new", "returning", "rebooked_percent", "average_ticket", "revenue"].map((k) => [
          h("dt", {}, t(k)), h("dd", { dataset: { indicator: k } },
            ["average_ticket", "revenue"].includes(k) ? fmt.money(page.indicators[k]) : String(page.indicators[k]))])) : null;
      mount(out, indicators, rows.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid" },
        h("thead", {}, h("tr", {}, ["client", "visits", "spend", "last_visit", "absent_days", "booked_ahead", "consent"]
          .map((k) => h("th", { scope: "col" }, t(k))))), h("tbody", {}, rows))) : h("p", {}, t("empty")),
      page.cursor ? h("button", { type: "button", onclick: () => show(page.cursor).catch(toast) }, t("more")) : null,
      mayWrite && rows.length ? composer() : null);
    }
    /** A campaign from the view shown: texts, then preview, then send. */
    function composer() {
      const name = h("input", { name: "name", required: true, maxlength: 120 });
      const subject = h("input", { name: "email_subject", maxlength: 200 });
      const body = h("textarea", { name: "email_body", rows: 4, maxlength: 5000 });
      const sms = h("textarea", { name: "sms_body", rows: 2, maxlength: 640 });
      const result = h("div", { class: "preview", "aria-live": "polite" });
      const form = h("form", { class: "campaign", onsubmit: (e) => {
        e.preventDefault();
        const draft = { name: name.value, audience };
        for (const [k, el] of [["email_subject", subject], ["email_body", body], ["sms_body", sms]]) if (el.value.trim()) draft[k] = el.value;
        api("POST", "/admin/marketing/campaigns", draft)
          .then((made) => api("GET", `/admin/marketing/campaigns/${made.id}/preview`))
          .then((p) => mount(result, preview(p))).catch(toast);
      } }, h("h2", {}, t("new_campaign")), field(t("name"), name), field(t("email_subject"), subject),
      field(t("email_body"), body), field(t("sms_body"), sms), h("button", { type: "submit" }, t("preview")), result);
      return form;
    }
    function preview(campaign) {
      const p = campaign.preview;
      const channels = Object.keys(p.recipients);
      return h("div", { dataset: { campaign: campaign.id } },
        h("table", { class: "grid" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("channel")),
          h("th", { scope: "col" }, t("recipients")), REASONS.map((r) => h("th", { scope: "col" }, t(r))))),
        h("tbody", {}, channels.map((c) => h("tr", { dataset: { channel: c } }, h("th", { scope: "row" }, t(c)),
          h("td", { dataset: { col: "recipients" } }, String(p.recipients[c])),
          REASONS.map((r) => h("td", { dataset: { col: r } }, String(p.excluded[c][r]))))))),
        h("p", {}, `${t("sms_quota")}: ${p.sms_quota.used} / ${p.sms_quota.limit}`),
        h("button", { type: "button", class: "primary", onclick: () => api("POST", `/admin/marketing/campaigns/${campaign.id}/send`)
          .then(() => { toast(t("sent_ok")); return listCampaigns(); }).catch(toast) }, t("send")));
    }
    async function listCampaigns() {
      const { campaigns } = await api("GET", "/admin/marketing/campaigns");
      const sent = campaigns.filter((c) => c.status !== "draft").slice(0, 20);
      const figures = await Promise.all(sent.map((c) => api("GET", `/admin/marketing/campaigns/${c.id}`)));
      mount(campaignsOut, h("h2", {}, t("campaigns")), figures.length ? h("div", { class: "table-wrap" },
        h("table", { class: "grid" }, h("thead", {}, h("tr", {}, ["name", "sent", "delivered", "failed", "unsubscribed",
          "bookings", "revenue"].map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, figures.map((c) => h("tr", { dataset: { campaign: c.id } }, h("td", {}, c.name),
          ["sent", "delivered", "failed", "unsubscribed", "bookings"].map((k) => h("td", { dataset: { col: k } }, String(c.figures[k]))),
          h("td", {}, fmt.money(c.figures.revenue))))))) : h("p", {}, t("empty")));
    }
    /** A client's consent per channel and purpose, its history, and recording what they said. */
    async function consent(c) {
      const state = await api("GET", `/admin/clients/${c.client}/consent`);
      await dialog(`${t("consent")}: ${c.name || c.client}`, (box, close) => {
        const channel = h("select", {}, ["email", "sms"].map((v) => h("option", { value: v }, t(v))));
        const granted = h("select", {}, [["true", t("yes")], ["false", t("no")]].map(([v, l]) => h("option", { value: v }, l)));
        const words = h("input", { maxlength: 1000 });
        mount(box, h("table", { class: "grid" }, h("thead", {}, h("tr", {}, ["channel", "purpose", "granted", "source", "at"]
          .map((k) => h("th", { scope: "col" }, t(k))))), h("tbody", {}, ["email", "sms"].flatMap((ch) => ["marketing", "service"]
          .map((pu) => { const s = state.consent[ch][pu]; return h("tr", {}, h("td", {}, t(ch)), h("td", {}, t(pu)),
            h("td", {}, s ? (s.granted ? t("yes") : t("no")) : t("not_asked")), h("td", {}, s ? s.source : "—"),
            h("td", {}, s ? fmt.dateTime(s.at) : "—")); })))),
        h("ul", { class: "history" }, state.history.map((x) => h("li", {}, `${fmt.dateTime(x.at)} · ${t(x.channel)} · ${x.granted ? t("yes") : t("no")} · ${x.source} · ${x.wording}`))),
        h("form", { onsubmit: (e) => {
          e.preventDefault();
          api("PUT", `/admin/clients/${c.client}/consent`, { changes: [{ channel: channel.value, purpose: "marketing",
            granted: granted.value === "true", wording: words.value }] }).then(() => { toast(t("saved")); close(); }).catch(toast);
        } }, field(t("channel"), channel), field(t("granted"), granted), field(t("agreed_words"), words),
        h("button", { type: "submit" }, t("record"))));
      }, t("no"));
    }
    const form = h("form", { class: "row", onsubmit: (e) => { e.preventDefault(); show().catch(toast); } },
      field(t("view"), view), field(t("days"), days), field(t("from"), from), field(t("to"), to), field(t("text"), text),
      field(t("services"), services), field(t("min_visits"), minVisits), field(t("min_spend"), minSpend),
      h("button", { type: "submit", class: "primary" }, t("show")));
    mount(root, h("h1", {}, t("nav")), form, out, campaignsOut);
    await Promise.all([show(), listCampaigns()]);
  },
};

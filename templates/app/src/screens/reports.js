// Reports (levels 1-3): sales, services performed, clients, professionals (with utilisation), commissions (with
// the tiers worked out) and statistics over a period, read from
// the counters the table's stream keeps (so years cost a few reads), each table as the API gives it, and
// the same report as a CSV file.
import { h, field, mount } from "../dom.js";
import { download } from "../api.js";

const REPORTS = ["sales", "services", "clients", "professionals", "commissions", "statistics"];
const GROUPS = ["month", "week", "day"];
const MONEY = new Set(["revenue", "commission", "money_saved", "staff_hourly_cost", "average_ticket",
  "late_cancel_fees", "no_show_fees"]);
const RATES = new Set(["no_show_rate", "rebooking_rate", "utilisation"]);
const HIDDEN = new Set(["id"]);

const M = {
  en: { nav: "Reports", messages: "Messages sent", kind: "Message", channel: "Channel", sent: "Sent", failed: "Failed", skipped: "Skipped", unconfirmed: "Unconfirmed", segments: "SMS segments", email: "Email", sms: "SMS", save: "Save parameters", saved: "Saved", commissions: "Commissions", commission: "Commission", report: "Report", sales: "Sales", services: "Services performed", professionals: "Professionals",
    statistics: "Statistics", from: "From", to: "To", group: "Group by", month: "Month", week: "Week", day: "Day",
    show: "Show", csv: "Download CSV", date_used: "Figures on the appointment date (the business's local day).",
    totals: "Totals", by_period: "By period", by_service: "By service", by_category: "By category",
    by_professional: "By professional", appointments_per_service: "Appointments per service", by_source: "Online or by staff",
    time_saved: "Time saved by online booking", period: "Period", name: "Name", booked: "Booked", completed: "Completed",
    minutes: "Minutes", revenue: "Revenue", cancelled: "Cancelled", no_show: "No-show", performed: "Performed",
    appointments: "Appointments", no_show_rate: "No-show rate", source: "Source", online: "Online", staff: "Staff",
    online_bookings: "Online bookings", phone_booking_minutes: "Minutes per phone booking", hours_saved: "Hours saved",
    staff_hourly_cost: "Hourly staff cost", money_saved: "Money saved", formula: "Formula", worked: "Worked out",
    empty: "Nothing in this period." },
  es: { nav: "Informes", messages: "Mensajes enviados", kind: "Mensaje", channel: "Canal", sent: "Enviados", failed: "Fallidos", skipped: "Omitidos", unconfirmed: "Sin confirmar", segments: "Segmentos SMS", email: "Email", sms: "SMS", save: "Guardar parámetros", saved: "Guardado", commissions: "Comisiones", commission: "Comisión", report: "Informe", sales: "Ventas", services: "Servicios realizados", professionals: "Profesionales",
    statistics: "Estadísticas", from: "Desde", to: "Hasta", group: "Agrupar por", month: "Mes", week: "Semana", day: "Día",
    show: "Ver", csv: "Descargar CSV", date_used: "Cifras en la fecha de la cita (día local del negocio).",
    totals: "Totales", by_period: "Por periodo", by_service: "Por servicio", by_category: "Por categoría",
    by_professional: "Por profesional", appointments_per_service: "Citas por servicio", by_source: "Online o por el equipo",
    time_saved: "Tiempo ahorrado con la reserva online", period: "Periodo", name: "Nombre", booked: "Reservadas",
    completed: "Realizadas", minutes: "Minutos", revenue: "Ingresos", cancelled: "Canceladas", no_show: "No presentados",
    performed: "Realizados", appointments: "Citas", no_show_rate: "Tasa de no presentados", source: "Origen",
    online: "Online", staff: "Equipo", online_bookings: "Reservas online", phone_booking_minutes: "Minutos por reserva telefónica",
    hours_saved: "Horas ahorradas", staff_hourly_cost: "Coste por hora del personal", money_saved: "Dinero ahorrado",
    formula: "Fórmula", worked: "Cálculo", empty: "Nada en este periodo." },
  it: { nav: "Report", messages: "Messaggi inviati", kind: "Messaggio", channel: "Canale", sent: "Inviati", failed: "Falliti", skipped: "Saltati", unconfirmed: "Non confermati", segments: "Segmenti SMS", email: "Email", sms: "SMS", save: "Salva parametri", saved: "Salvato", commissions: "Provvigioni", commission: "Provvigione", report: "Report", sales: "Vendite", services: "Servizi eseguiti", professionals: "Professionisti",
    statistics: "Statistiche", from: "Dal", to: "Al", group: "Raggruppa per", month: "Mese", week: "Settimana", day: "Giorno",
    show: "Mostra", csv: "Scarica CSV", date_used: "Dati alla data dell'appuntamento (giorno locale dell'attività).",
    totals: "Totali", by_period: "Per periodo", by_service: "Per servizio", by_category: "Per categoria",
    by_professional: "Per professionista", appointments_per_service: "Appuntamenti per servizio",
    by_source: "Online o dallo staff", time_saved: "Tempo risparmiato con la prenotazione online", period: "Periodo",
    name: "Nome", booked: "Prenotati", completed: "Completati", minutes: "Minuti", revenue: "Incasso", cancelled: "Annullati",
    no_show: "Non presentati", performed: "Eseguiti", appointments: "Appuntamenti", no_show_rate: "Tasso di assenze",
    source: "Origine", online: "Online", staff: "Staff", online_bookings: "Prenotazioni online",
    phone_booking_minutes: "Minuti per prenotazione telefonica", hours_saved: "Ore risparmiate",
    staff_hourly_cost: "Costo orario del personale", money_saved: "Denaro risparmiato", formula: "Formula",
    worked: "Calcolo", empty: "Niente in questo periodo." },
  cs: { nav: "Přehledy", messages: "Odeslané zprávy", kind: "Zpráva", channel: "Kanál", sent: "Odesláno", failed: "Selhalo", skipped: "Vynecháno", unconfirmed: "Nepotvrzeno", segments: "Segmenty SMS", email: "E-mail", sms: "SMS", save: "Uložit parametry", saved: "Uloženo", commissions: "Provize", commission: "Provize", report: "Přehled", sales: "Tržby", services: "Provedené služby", professionals: "Pracovníci",
    statistics: "Statistiky", from: "Od", to: "Do", group: "Seskupit po", month: "Měsících", week: "Týdnech", day: "Dnech",
    show: "Zobrazit", csv: "Stáhnout CSV", date_used: "Údaje podle data rezervace (místní den provozovny).",
    totals: "Celkem", by_period: "Podle období", by_service: "Podle služby", by_category: "Podle kategorie",
    by_professional: "Podle pracovníka", appointments_per_service: "Rezervace podle služby", by_source: "Online nebo personálem",
    time_saved: "Čas ušetřený online rezervacemi", period: "Období", name: "Název", booked: "Rezervováno",
    completed: "Dokončeno", minutes: "Minuty", revenue: "Tržba", cancelled: "Zrušeno", no_show: "Nedostavili se",
    performed: "Provedeno", appointments: "Rezervace", no_show_rate: "Podíl nedostavení", source: "Zdroj",
    online: "Online", staff: "Personál", online_bookings: "Online rezervace", phone_booking_minutes: "Minut na telefonickou rezervaci",
    hours_saved: "Ušetřené hodiny", staff_hourly_cost: "Hodinové náklady personálu", money_saved: "Ušetřené peníze",
    formula: "Vzorec", worked: "Výpočet", empty: "V tomto období nic." },
  et: { nav: "Aruanded", messages: "Saadetud sõnumid", kind: "Sõnum", channel: "Kanal", sent: "Saadetud", failed: "Ebaõnnestunud", skipped: "Vahele jäetud", unconfirmed: "Kinnitamata", segments: "SMS-i osad", email: "E-post", sms: "SMS", save: "Salvesta parameetrid", saved: "Salvestatud", commissions: "Vahendustasud", commission: "Vahendustasu", report: "Aruanne", sales: "Müük", services: "Tehtud teenused", professionals: "Töötajad",
    statistics: "Statistika", from: "Alates", to: "Kuni", group: "Rühmita", month: "Kuu", week: "Nädal", day: "Päev",
    show: "Näita", csv: "Laadi CSV", date_used: "Arvud broneeringu kuupäeva järgi (ettevõtte kohalik päev).",
    totals: "Kokku", by_period: "Perioodi järgi", by_service: "Teenuse järgi", by_category: "Kategooria järgi",
    by_professional: "Töötaja järgi", appointments_per_service: "Broneeringud teenuse järgi", by_source: "Veebis või töötaja poolt",
    time_saved: "Veebibroneeringuga säästetud aeg", period: "Periood", name: "Nimi", booked: "Broneeritud",
    completed: "Lõpetatud", minutes: "Minutid", revenue: "Tulu", cancelled: "Tühistatud", no_show: "Ei tulnud",
    performed: "Tehtud", appointments: "Broneeringud", no_show_rate: "Mitteilmumise määr", source: "Allikas",
    online: "Veebis", staff: "Töötaja", online_bookings: "Veebibroneeringud", phone_booking_minutes: "Minutit telefonibroneeringu kohta",
    hours_saved: "Säästetud tunnid", staff_hourly_cost: "Töötaja tunnihind", money_saved: "Säästetud raha",
    formula: "Valem", worked: "Arvutus", empty: "Selles perioodis pole midagi." },
};

// The clients report, utilisation, fees and the commission details (issue 16, second part).
const MORE = {
  en: { clients: "Clients", top_clients: "Top clients", clients_seen: "Clients seen", new_clients: "New",
    returning_clients: "Returning", visits: "Visits", rebooked_visits: "Rebooked visits", rebooking_rate: "Rebooking rate",
    average_ticket: "Average ticket", booked_hours: "Hours booked", working_hours: "Working hours",
    utilisation: "Utilisation", booked_minutes: "Minutes booked", late_cancelled: "Late cancellations",
    late_cancel_fees: "Late-cancellation fees", no_show_fees: "No-show fees", tiered: "Commission details" },
  es: { clients: "Clientes", top_clients: "Mejores clientes", clients_seen: "Clientes atendidos", new_clients: "Nuevos",
    returning_clients: "Recurrentes", visits: "Visitas", rebooked_visits: "Visitas con nueva cita",
    rebooking_rate: "Tasa de nueva cita", average_ticket: "Ticket medio", booked_hours: "Horas reservadas",
    working_hours: "Horas de trabajo", utilisation: "Ocupación", booked_minutes: "Minutos reservados",
    late_cancelled: "Cancelaciones tardías", late_cancel_fees: "Cargos por cancelación tardía",
    no_show_fees: "Cargos por no presentarse", tiered: "Detalle de comisiones" },
  it: { clients: "Clienti", top_clients: "Migliori clienti", clients_seen: "Clienti serviti", new_clients: "Nuovi",
    returning_clients: "Abituali", visits: "Visite", rebooked_visits: "Visite con nuovo appuntamento",
    rebooking_rate: "Tasso di riprenotazione", average_ticket: "Scontrino medio", booked_hours: "Ore prenotate",
    working_hours: "Ore di lavoro", utilisation: "Occupazione", booked_minutes: "Minuti prenotati",
    late_cancelled: "Annullamenti tardivi", late_cancel_fees: "Penali per annullamento tardivo",
    no_show_fees: "Penali per assenza", tiered: "Dettaglio provvigioni" },
  cs: { clients: "Klienti", top_clients: "Nejlepší klienti", clients_seen: "Obsloužení klienti", new_clients: "Noví",
    returning_clients: "Vracející se", visits: "Návštěvy", rebooked_visits: "Návštěvy s další rezervací",
    rebooking_rate: "Podíl dalších rezervací", average_ticket: "Průměrná útrata", booked_hours: "Rezervované hodiny",
    working_hours: "Pracovní hodiny", utilisation: "Vytížení", booked_minutes: "Rezervované minuty",
    late_cancelled: "Pozdní zrušení", late_cancel_fees: "Poplatky za pozdní zrušení",
    no_show_fees: "Poplatky za nedostavení", tiered: "Podrobnosti provizí" },
  et: { clients: "Kliendid", top_clients: "Parimad kliendid", clients_seen: "Teenindatud kliendid", new_clients: "Uued",
    returning_clients: "Naasnud", visits: "Külastused", rebooked_visits: "Uue broneeringuga külastused",
    rebooking_rate: "Uuesti broneerimise määr", average_ticket: "Keskmine ost", booked_hours: "Broneeritud tunnid",
    working_hours: "Töötunnid", utilisation: "Hõivatus", booked_minutes: "Broneeritud minutid",
    late_cancelled: "Hilised tühistamised", late_cancel_fees: "Hilise tühistamise tasud",
    no_show_fees: "Mitteilmumise tasud", tiered: "Vahendustasu üksikasjad" },
};
for (const lang of Object.keys(MORE)) Object.assign(M[lang], MORE[lang]);

/** A professional's tiered commissions, band by band: "0.00-100.00: 10 % of 100.00 = 10.00". */
function bands(tiered, fmt) {
  return tiered.flatMap((rule) => rule.bands.map((b) =>
    `${b.from}–${b.to ?? "…"}: ${b.percent} % × ${fmt.money(b.revenue)} = ${fmt.money(b.commission)}`)
    .concat(Number(rule.cost) ? [`− ${fmt.money(rule.cost)}`] : [])).join("; ");
}

/** The first and last day of the month of a "YYYY-MM-DD" day. */
function monthOf(day) {
  const [y, m] = day.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${day.slice(0, 7)}-01`, `${day.slice(0, 7)}-${String(last).padStart(2, "0")}`];
}

function cellText(key, value, t, fmt) {
  if (value === null || value === undefined) return "—";
  if (MONEY.has(key)) return fmt.money(value);
  if (RATES.has(key)) return `${(Number(value) * 100).toFixed(1)} %`;
  if (key === "tiered") return value.length ? bands(value, fmt) : "—";
  if (key === "source" || key === "channel") return t(value);
  return String(value);
}

function table(name, rows, t, fmt) {
  if (!rows.length) return null;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !HIDDEN.has(c));
  return h("section", { class: "report-table", dataset: { table: name } }, h("h2", {}, t(name)),
    h("div", { class: "table-wrap" }, h("table", { class: "grid" },
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, t(c))))),
      h("tbody", {}, rows.map((r) => h("tr", {}, columns.map((c) => h("td", { dataset: { col: c } },
        cellText(c, r[c], t, fmt)))))))));
}

export default {
  id: "reports",
  path: "/reports",
  nav: "nav",
  requires: "reports.read",
  order: 75,
  messages: M,

  async render(root, { api, t, fmt, toast, me }) {
    const [first, last] = monthOf(fmt.today());
    const kind = h("select", {}, REPORTS.map((r) => h("option", { value: r }, t(r))));
    const from = h("input", { type: "date", value: first, required: true });
    const to = h("input", { type: "date", value: last, required: true });
    const group = h("select", {}, GROUPS.map((g) => h("option", { value: g }, t(g))));
    const groupField = field(t("group"), group);
    const out = h("div", { class: "report", "aria-live": "polite" });
    const query = (format) => {
      const q = new URLSearchParams({ from: from.value, to: to.value });
      if (kind.value === "sales") q.set("group", group.value);
      if (format) q.set("format", format);
      return `/admin/reports/${kind.value}?${q}`;
    };
    async function show() {
      groupField.hidden = kind.value !== "sales";
      const report = await api("GET", query());
      const tables = Object.entries(report).filter(([, v]) => Array.isArray(v));
      const singles = Object.entries(report).filter(([, v]) => v && typeof v === "object" && !Array.isArray(v));
      const drawn = [...singles.map(([k, v]) => table(k, [v], t, fmt)), ...tables.map(([k, v]) => table(k, v, t, fmt))]
        .filter(Boolean);
      mount(out, h("p", { class: "muted" }, t("date_used")), drawn.length ? drawn : h("p", {}, t("empty")),
        kind.value === "statistics" && me.actions.includes("settings.write") ? simulation(report.time_saved) : null);
    }
    /** The time-saved simulation's parameters (administrators): minutes a phone booking takes, hourly cost. */
    function simulation(saved) {
      const minutes = h("input", { type: "number", min: 1, max: 120, required: true, value: saved.phone_booking_minutes });
      const cost = h("input", { type: "text", inputmode: "decimal", value: saved.staff_hourly_cost || "" });
      return h("form", { class: "row", onsubmit: (e) => {
        e.preventDefault();
        api("PUT", "/admin/reports/settings", { phone_booking_minutes: Number(minutes.value),
          staff_hourly_cost: cost.value.trim() || null }).then(() => { toast(t("saved")); return show(); }).catch(toast);
      } }, field(t("phone_booking_minutes"), minutes), field(t("staff_hourly_cost"), cost),
      h("button", { type: "submit" }, t("save")));
    }
    async function csv() {
      const file = await download(query("csv"));
      const link = h("a", { href: URL.createObjectURL(file), download: `${kind.value}-${from.value}-${to.value}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 0);
    }
    const form = h("form", { class: "report-period row", onsubmit: (e) => { e.preventDefault(); show().catch(toast); } },
      field(t("report"), kind), field(t("from"), from), field(t("to"), to), groupField,
      h("button", { type: "submit", class: "primary" }, t("show")),
      h("button", { type: "button", onclick: () => csv().catch(toast) }, t("csv")));
    kind.addEventListener("change", () => show().catch(toast));
    mount(root, h("h1", {}, t("nav")), form, out);
    await show();
  },
};

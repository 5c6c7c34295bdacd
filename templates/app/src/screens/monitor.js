// Monitor: the day by time slot, with each booking's reference code and check-in state; filter by
// professional and by desk (several at once), optionally a column per desk; it refreshes itself every
// REFRESH_MS while it is open.
import { h, field, mount } from "../dom.js";

const REFRESH_MS = 30000;
const STATES = ["awaiting_approval", "expected", "arrived", "completed", "no_show"];

export default {
  id: "monitor",
  path: "/monitor",
  nav: "nav",
  requires: "monitor.read",
  order: 20,
  messages: {
    en: { desks: "Desks", by_desk: "A column per desk",
      nav: "Monitor", title: "Today by time slot", staff: "Professional", everyone: "Everyone", day: "Day",
      time: "Time", bookings: "Bookings", none: "—", updated: "Updated at {time}", awaiting_approval: "Awaiting approval",
      expected: "Expected", arrived: "Arrived", completed: "Completed", no_show: "No-show" },
    es: { desks: "Puestos", by_desk: "Una columna por puesto",
      nav: "Monitor", title: "El día por franjas", staff: "Profesional", everyone: "Todos", day: "Día",
      time: "Hora", bookings: "Citas", none: "—", updated: "Actualizado a las {time}", awaiting_approval: "Por aprobar",
      expected: "Esperados", arrived: "Llegados", completed: "Terminados", no_show: "No presentados" },
    it: { desks: "Postazioni", by_desk: "Una colonna per postazione",
      nav: "Monitor", title: "La giornata per fasce", staff: "Professionista", everyone: "Tutti", day: "Giorno",
      time: "Ora", bookings: "Appuntamenti", none: "—", updated: "Aggiornato alle {time}", awaiting_approval: "Da approvare",
      expected: "Attesi", arrived: "Arrivati", completed: "Completati", no_show: "Non presentati" },
    cs: { desks: "Pracoviště", by_desk: "Sloupec pro každé pracoviště",
      nav: "Přehled", title: "Den po časových úsecích", staff: "Pracovník", everyone: "Všichni", day: "Den",
      time: "Čas", bookings: "Rezervace", none: "—", updated: "Aktualizováno v {time}", awaiting_approval: "Čeká na schválení",
      expected: "Očekávaní", arrived: "Přišli", completed: "Hotovo", no_show: "Nedostavili se" },
    et: { desks: "Töökohad", by_desk: "Iga töökoht eraldi veerus",
      nav: "Monitor", title: "Päev ajavahemike kaupa", staff: "Spetsialist", everyone: "Kõik", day: "Päev",
      time: "Aeg", bookings: "Broneeringud", none: "—", updated: "Uuendatud {time}", awaiting_approval: "Ootab kinnitust",
      expected: "Oodatud", arrived: "Saabunud", completed: "Lõpetatud", no_show: "Ei tulnud" },
  },

  async render(root, { api, t, fmt }) {
    let staff = "";
    let day = fmt.today();
    const picker = h("select", { name: "staff", onchange: (e) => { staff = e.target.value; load(); } },
      h("option", { value: "" }, t("everyone")));
    const dayInput = h("input", { type: "date", name: "date", value: day, onchange: (e) => { day = e.target.value || fmt.today(); load(); } });
    let deskIds = [];
    let byDesk = false;
    const deskPicker = h("select", { name: "desk", multiple: true, size: 3, onchange: (e) => {
      deskIds = [...e.target.selectedOptions].map((o) => o.value); load(); } });
    const columns = h("input", { type: "checkbox", id: "monitor-by-desk", name: "by_desk",
      onchange: (e) => { byDesk = e.target.checked; load(); } });
    const deskTools = h("div", { class: "desk-tools", hidden: true }, field(t("desks"), deskPicker),
      h("div", { class: "check" }, columns, h("label", { for: "monitor-by-desk" }, t("by_desk"))));
    const head = h("tr");
    const totals = h("div", { class: "totals", "aria-live": "polite" });
    const updated = h("p", { class: "muted" });
    const body = h("tbody");
    mount(root, h("h1", {}, t("title")),
      h("div", { class: "toolbar" }, field(t("day"), dayInput), field(t("staff"), picker), deskTools),
      totals,
      h("table", { class: "grid monitor" }, h("thead", {}, head), body),
      updated);

    async function load() {
      const query = new URLSearchParams({ date: day });
      if (staff) query.set("staff", staff);
      if (deskIds.length) query.set("desk", deskIds.join(","));
      const found = await api("GET", `/admin/monitor?${query}`);
      if (picker.options.length === 1) {
        found.staff.forEach((m) => picker.append(h("option", { value: m.id }, m.name)));
      }
      if (!deskPicker.options.length && found.desks.length) {
        found.desks.forEach((d) => deskPicker.append(h("option", { value: d.id }, d.name)));
        deskTools.hidden = false;
      }
      const perDesk = byDesk && found.desks.length ? found.desks : null;
      mount(head, h("th", { scope: "col" }, t("time")), perDesk
        ? perDesk.map((d) => h("th", { scope: "col", dataset: { desk: d.id } }, d.name)) : h("th", { scope: "col" }, t("bookings")));
      const booking = (b) => h("span", { class: "booking" },
        h("span", { class: "ref" }, b.reference), " ",
        [b.client.first_name, b.client.last_name].filter(Boolean).join(" "),
        ` · ${b.service_name || ""} · ${b.staff_name || ""}${b.desk_name && !perDesk ? ` · ${b.desk_name}` : ""} `,
        h("span", { class: `badge st-${b.status}` }, t(b.check_in) || b.status));
      const cell = (list) => h("td", {}, list.length ? list.map(booking) : t("none"));
      mount(totals, STATES.map((s) => h("span", {}, `${t(s)}: `, h("strong", { dataset: { total: s } }, found.totals[s]))));
      mount(body, found.slots.map((slot) => h("tr", { dataset: { time: slot.time } },
        h("th", { scope: "row" }, fmt.time(slot.start)),
        perDesk ? perDesk.map((d) => cell(slot.bookings.filter((b) => b.desk === d.id))) : cell(slot.bookings))));
      updated.textContent = t("updated", { time: fmt.time(new Date()) });
    }

    await load();
    const timer = setInterval(() => load().catch(() => {}), REFRESH_MS);
    return () => clearInterval(timer);
  },
};

// Agenda: day / week / month, one column per professional (or per desk), appointments coloured by status;
// filter by desk, several at once.
// Drag to move or hand over (a refusal puts it back and says why), click a free time to book, click an
// appointment to act on it. The calendar (@event-calendar/core) shows the business's wall clock: it runs
// in 'UTC' with floating times, and fmt converts between that wall clock and the API's instants.
import { createCalendar, destroyCalendar, DayGrid, Interaction, ResourceTimeGrid } from "@event-calendar/core";
import { h, mount } from "../dom.js";
import { appointmentDialog, bookDialog, clientName } from "./agenda/dialogs.js";
import messages from "./agenda/messages.js";

const VIEWS = { day: "resourceTimeGridDay", week: "resourceTimeGridWeek", month: "dayGridMonth" };
const MOVABLE = new Set(["pending", "confirmed"]);
const NO_DESK = "-";  // the column of appointments that take no desk, when there is a column per desk

/** "HH:MM" of the earliest opening and latest closing in the week, padded by an hour. */
function openingSpan(hours) {
  const times = Object.values(hours || {}).flat();
  if (!times.length) return ["07:00", "21:00"];
  const first = times.map((s) => s[0]).sort()[0];
  const last = times.map((s) => s[1]).sort().pop();
  const shift = (hhmm, by) => `${String(Math.min(24, Math.max(0, +hhmm.slice(0, 2) + by))).padStart(2, "0")}:00`;
  return [shift(first, -1), shift(last, last.endsWith(":00") ? 1 : 2)];
}

/** Wall clock of a Date the calendar hands out: it runs in UTC with floating times and gives callbacks
 * Dates whose local fields are that wall clock. */
const pad = (n) => String(n).padStart(2, "0");
const wallOf = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;

/** Days to move by for prev/next in each view. */
function stepDate(day, view, sign) {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (view === "month") date.setUTCMonth(date.getUTCMonth() + sign, 1);
  else date.setUTCDate(date.getUTCDate() + sign * (view === "week" ? 7 : 1));
  return date.toISOString().slice(0, 10);
}

export default {
  id: "agenda",
  path: "/agenda",
  nav: "nav",
  requires: "agenda.read",
  order: 10,
  messages,

  async render(root, ctx) {
    const { api, t, fmt, business } = ctx;
    let view = "day";
    let day = fmt.today();
    let loaded = { staff: [], appointments: [], desks: [] };
    let deskIds = [];
    let byDesk = false;
    const [servicesFound] = await Promise.all([api("GET", "/admin/services").catch(() => ({ services: [] }))]);
    const services = servicesFound.services.filter((s) => s.status !== "disabled");
    const performers = new Set(services.flatMap((s) => s.staff));

    const title = h("h1", { class: "title", "aria-live": "polite" });
    const viewButtons = Object.keys(VIEWS).map((v) => h("button", {
      type: "button", "aria-pressed": String(v === view), dataset: { view: v }, onclick: () => { view = v; refresh(); },
    }, t(v)));
    const holder = h("section", { class: "calendar", "aria-busy": "true" });  // busy until the first load
    const deskPicker = h("select", { name: "desk", multiple: true, size: 2, "aria-label": t("desks"), onchange: (e) => {
      deskIds = [...e.target.selectedOptions].map((o) => o.value); refresh(); } });
    const deskColumns = h("input", { type: "checkbox", id: "agenda-by-desk", onchange: (e) => { byDesk = e.target.checked; refresh(); } });
    const deskTools = h("div", { class: "desk-tools", hidden: true }, deskPicker,
      h("div", { class: "check" }, deskColumns, h("label", { for: "agenda-by-desk" }, t("by_desk"))));
    const newButton = ctx.me.actions.includes("appointments.write")  // enabled once the professionals are known
      ? h("button", { type: "button", class: "primary", disabled: true, onclick: () => book({}) }, t("new")) : null;
    mount(root,
      h("div", { class: "toolbar" },
        h("button", { type: "button", onclick: () => { day = stepDate(day, view, -1); refresh(); } }, `‹ ${t("prev")}`),
        h("button", { type: "button", onclick: () => { day = fmt.today(); refresh(); } }, t("today")),
        h("button", { type: "button", onclick: () => { day = stepDate(day, view, 1); refresh(); } }, `${t("next")} ›`),
        title,
        h("div", { class: "segmented", role: "group", "aria-label": t("views") }, viewButtons),
        deskTools, newButton),
      holder);

    const [slotMinTime, slotMaxTime] = openingSpan(business.opening_hours);
    const step = Math.max(5, business.booking_rules.slot_step_minutes || 15);
    const calendar = createCalendar(holder, [ResourceTimeGrid, DayGrid, Interaction], {
      view: VIEWS[view], date: day, timeZone: "UTC", locale: fmt.locale, firstDay: 1, allDaySlot: false,
      headerToolbar: { start: "", center: "", end: "" }, height: "auto",
      slotMinTime, slotMaxTime, scrollTime: slotMinTime,
      slotDuration: { minutes: step }, slotHeight: step >= 30 ? 44 : 24,  // room for time and title
      eventTimeFormat: { hour: "2-digit", minute: "2-digit" }, slotLabelFormat: { hour: "2-digit", minute: "2-digit" },
      editable: true, eventDurationEditable: false, selectable: false, dayMaxEvents: true,
      resources: [], events: [],
      eventDidMount: ({ el, event }) => {
        const a = event.extendedProps.appointment;
        el.dataset.reference = a.reference;
        el.dataset.status = a.status;
        if (a.desk) el.dataset.desk = a.desk;
        el.setAttribute("aria-label", `${fmt.time(a.start)} ${a.staff_name || a.staff}: ${event.title}`);
      },
      eventClick: ({ event }) => openAppointment(event.extendedProps.appointment),
      dateClick: ({ date, resource, view: shown }) => {
        if (shown.type === VIEWS.month) { day = wallOf(date).slice(0, 10); view = "day"; refresh(); return; }
        if (ctx.me.actions.includes("appointments.write")) book({ wall: wallOf(date), staff: !desksShown() && resource ? resource.id : undefined });
      },
      eventDrop: (info) => drop(info),
    });

    // The calendar marks itself up as an ARIA table but puts a toolbar, time labels and the events
    // (<nav>, <aside>, <article>) among its rows, which no assistive technology can read as a table
    // (axe: aria-required-children). Its grid is made presentational instead: each event is focusable,
    // opens with Enter, and reads out its time, professional, client, service and status.
    const TABLE_ROLES = '[role="table"], [role="rowgroup"], [role="row"], [role="cell"], [role="columnheader"], nav.ec-toolbar, aside.ec-sidebar';
    const TABLE_ATTRIBUTES = ["aria-colindex", "aria-colspan", "aria-rowindex", "aria-rowspan"];
    const tidyRoles = () => holder.querySelectorAll(TABLE_ROLES).forEach((el) => {
      if (el.getAttribute("role") !== "presentation") el.setAttribute("role", "presentation");
      TABLE_ATTRIBUTES.forEach((name) => el.hasAttribute(name) && el.removeAttribute(name));
    });
    const watcher = new MutationObserver(tidyRoles);
    watcher.observe(holder, { childList: true, subtree: true });

    function toEvent(a) {
      const status = t(`status_${a.status}`);
      return {
        id: a.reference, resourceIds: [desksShown() ? a.desk || NO_DESK : a.staff], start: fmt.wallClock(a.start),
        end: fmt.wallClock(a.end),
        title: `${clientName(a.client)} · ${a.service_name || a.service}${a.desk_name ? ` · ${a.desk_name}` : ""} · ${status}`,
        classNames: [`st-${a.status}`], editable: a.writable && MOVABLE.has(a.status),
        extendedProps: { appointment: a },
      };
    }

    function desksShown() { return byDesk && loaded.desks.length > 0; }

    async function refresh() {
      viewButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.view === view)));
      holder.setAttribute("aria-busy", "true");  // what is drawn is the last period's until the answer comes
      const query = new URLSearchParams({ view, date: day });
      if (deskIds.length) query.set("desk", deskIds.join(","));
      loaded = await api("GET", `/admin/agenda?${query}`);
      if (!deskPicker.options.length && loaded.desks.length) {
        loaded.desks.forEach((d) => deskPicker.append(h("option", { value: d.id }, d.name)));
        deskTools.hidden = false;
      }
      const busy = new Set(loaded.appointments.map((a) => a.staff));
      const columns = desksShown()
        ? [...loaded.desks.map((d) => ({ id: d.id, title: d.name })),
          ...(loaded.appointments.some((a) => !a.desk) ? [{ id: NO_DESK, title: t("no_desk") }] : [])]
        : loaded.staff.filter((m) => performers.has(m.id) || busy.has(m.id) || m.id === ctx.me.staff)
          .map((m) => ({ id: m.id, title: m.name }));
      calendar.setOption("view", VIEWS[view]);
      calendar.setOption("date", day);
      calendar.setOption("resources", columns);
      calendar.setOption("events", loaded.appointments.map(toEvent));
      const period = view === "day" ? fmt.longDate(`${day}T12:00:00Z`)
        : view === "week" ? `${fmt.date(`${loaded.from}T12:00:00Z`)} – ${fmt.date(`${loaded.to}T12:00:00Z`)}`
          : new Intl.DateTimeFormat(fmt.locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
      title.textContent = period;
      if (newButton) newButton.disabled = false;
      holder.setAttribute("aria-label", t("calendar", { period }));
      holder.setAttribute("aria-busy", "false");
    }

    async function drop(info) {
      const a = info.event.extendedProps.appointment;
      const body = { start: fmt.instantAt(wallOf(info.event.start)).toISOString() };
      if (info.newResource && desksShown()) body.desk = info.newResource.id;  // to another desk
      else if (info.newResource) body.staff = info.newResource.id;
      try {
        const moved = await api("POST", `/admin/appointments/${encodeURIComponent(a.reference)}/reschedule`, body);
        ctx.toast(t("moved", { reference: moved.reference }), "ok");
      } catch (error) {
        info.revert();  // put it back where it was, and say why
        ctx.toast(error.status === 409 ? t("refused", { message: error.message }) : error, "error");
      }
      await refresh();
    }

    const staffChoices = () => loaded.staff.filter((m) => m.writable && performers.has(m.id));
    function book(preset) {
      bookDialog(ctx, { preset: { wall: preset.wall || `${day}T${slotMinTime}:00`, staff: preset.staff },
        services, staff: staffChoices() }).then((made) => made && refresh());
    }

    function openAppointment(a) {
      appointmentDialog(ctx, a, { staff: staffChoices() }).then((changed) => changed && refresh());
    }

    await refresh();
    return () => { watcher.disconnect(); destroyCalendar(calendar); };
  },
};

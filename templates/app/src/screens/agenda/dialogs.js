// The agenda's two dialogs: booking a new appointment (client search as you type, or a new client;
// service, internal ones included; professional; time) and one appointment (its facts, the actions its
// state allows, moving or handing it over). Errors stay in the dialog, read out by role="alert".
import { dialog, field, h, mount } from "../../dom.js";

const MOVABLE = new Set(["pending", "confirmed"]);
const SEARCH_DELAY_MS = 250;

export function clientName(client) {
  return [client.first_name, client.last_name].filter(Boolean).join(" ") || client.id;
}

function whenInputs(fmt, t, wall) {
  const date = h("input", { type: "date", name: "date", required: true, value: wall.slice(0, 10) });
  const time = h("input", { type: "time", name: "time", required: true, step: 300, value: wall.slice(11, 16) });
  return { date, time, fields: h("div", { class: "row" }, field(t("date"), date), field(t("time"), time)),
    instant: () => fmt.instantAt(`${date.value}T${time.value}`).toISOString() };
}

function staffSelect(t, staff, chosen) {
  return h("select", { name: "staff", required: true },
    staff.map((m) => h("option", { value: m.id, selected: m.id === chosen }, m.name)));
}

export function bookDialog(ctx, { preset, services, staff }) {
  const { api, t, fmt, me } = ctx;
  return dialog(t("book_title"), (body, close) => {
    const alert = h("p", { class: "alert", role: "alert" });
    let client = null;
    let creating = false;

    // -- the client: search as you type, or a new one
    const search = h("input", { type: "search", name: "client_search", autocomplete: "off", "aria-controls": "client-results" });
    const results = h("ul", { id: "client-results", class: "suggestions", "aria-label": t("client") });
    const chosen = h("p", { class: "chosen", "aria-live": "polite" });
    const firstName = h("input", { name: "first_name", maxlength: 100, autocomplete: "off" });
    const lastName = h("input", { name: "last_name", maxlength: 100, autocomplete: "off" });
    const phone = h("input", { name: "phone", type: "tel", maxlength: 40, autocomplete: "off" });
    const email = h("input", { name: "email", type: "email", maxlength: 254, autocomplete: "off" });
    const newClient = h("fieldset", { class: "new-client", hidden: true }, h("legend", {}, t("new_client")),
      field(t("first_name"), firstName), field(t("last_name"), lastName), field(t("phone"), phone), field(t("email"), email));
    const finder = h("div", { class: "finder" }, field(t("find_client"), search), results,
      me.actions.includes("clients.write") ? h("button", { type: "button", class: "link", onclick: () => {
        creating = true; client = null; finder.hidden = true; newClient.hidden = false; firstName.required = true; firstName.focus();
      } }, t("new_client")) : null);
    const pick = (found) => {
      client = found;
      finder.hidden = true;
      mount(chosen, t("chosen", { name: clientName(found) }), " ",
        h("button", { type: "button", class: "link", onclick: () => {
          client = null; chosen.replaceChildren(); finder.hidden = false; search.focus();
        } }, t("change_client")));
    };
    let timer = null;
    let asked = "";
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = search.value.trim();
        asked = q;
        if (q.length < 2) { results.replaceChildren(); return; }
        try {
          const found = await api("GET", `/admin/clients?${new URLSearchParams({ q, limit: "8" })}`);
          if (asked !== q) return;  // a later keystroke already asked again
          mount(results, found.clients.length ? found.clients.map((c) => h("li", {}, h("button", {
            type: "button", onclick: () => pick(c) },
          clientName(c), c.phone || c.email ? h("span", { class: "muted" }, ` · ${[c.phone, c.email].filter(Boolean).join(" · ")}`) : null)))
            : h("li", { class: "muted" }, t("no_match")));
        } catch (error) { alert.textContent = error.message; }
      }, SEARCH_DELAY_MS);
    });

    // -- service, professional, time
    const service = h("select", { name: "service", required: true }, services.map((s) => h("option", { value: s.id },
      s.status === "internal" ? t("internal", { name: s.name }) : s.name)));
    const professional = staffSelect(t, staff, preset.staff);
    const fitStaff = () => {
      const doing = new Set((services.find((s) => s.id === service.value) || { staff: [] }).staff);
      [...professional.options].forEach((o) => { o.disabled = !doing.has(o.value); });
      if (professional.selectedOptions[0] && professional.selectedOptions[0].disabled) {
        const first = [...professional.options].find((o) => !o.disabled);
        if (first) professional.value = first.value;
      }
    };
    service.addEventListener("change", fitStaff);
    const firstDoable = services.find((s) => !preset.staff || s.staff.includes(preset.staff));
    if (firstDoable) service.value = firstDoable.id;
    fitStaff();
    const when = whenInputs(fmt, t, preset.wall);
    const notes = h("textarea", { name: "notes", rows: 2, maxlength: 1000 });
    const override = h("input", { name: "override_reason", maxlength: 500 });

    const form = h("form", { class: "stack", onsubmit: async (event) => {
      event.preventDefault();
      alert.textContent = "";
      try {
        if (creating && !client) {
          client = await api("POST", "/admin/clients", Object.fromEntries(
            [["first_name", firstName.value.trim()], ["last_name", lastName.value.trim()], ["phone", phone.value.trim()],
              ["email", email.value.trim()]].filter(([, v]) => v)));
          creating = false;
        }
        if (!client) { alert.textContent = t("pick_client"); search.focus(); return; }
        const request = { client: client.id, service: service.value, staff: professional.value, start: when.instant() };
        if (notes.value.trim()) request.notes = notes.value.trim();
        if (override.value.trim()) request.override_reason = override.value.trim();
        const made = await api("POST", "/admin/appointments", request);
        ctx.toast(t("booked", { reference: made.reference }), "ok");
        close(made);
      } catch (error) {
        alert.textContent = error.status === 403 ? t("forbidden") : error.message;
      }
    } }, alert, h("div", { class: "field" }, h("span", { class: "label" }, t("client")), chosen, finder, newClient),
    field(t("service"), service), field(t("staff"), professional), when.fields, field(t("notes"), notes),
    field(t("override"), override), h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("book"))));
    body.append(form);
  }, t("close"));
}

export function appointmentDialog(ctx, a, { staff }) {
  const { api, t, fmt } = ctx;
  return dialog(t("appointment", { reference: a.reference }), (body, close) => {
    const alert = h("p", { class: "alert", role: "alert" });
    const contact = [a.client.phone, a.client.mobile, a.client.email].filter(Boolean).join(" · ");
    const facts = h("dl", { class: "facts" },
      h("dt", {}, t("reference")), h("dd", { class: "ref" }, a.reference),
      h("dt", {}, t("status")), h("dd", {}, h("span", { class: `badge st-${a.status}` }, t(`status_${a.status}`))),
      h("dt", {}, t("when")), h("dd", {}, `${fmt.longDate(a.start)} ${fmt.time(a.start)}–${fmt.time(a.end)}`),
      h("dt", {}, t("client")), h("dd", {}, clientName(a.client), contact ? h("span", { class: "muted" }, ` · ${contact}`) : null),
      h("dt", {}, t("service")), h("dd", {}, a.service_name || a.service),
      h("dt", {}, t("staff")), h("dd", {}, a.staff_name || a.staff),
      a.desk ? [h("dt", {}, t("desk")), h("dd", { dataset: { desk: a.desk } }, a.desk_name || a.desk)] : null,
      h("dt", {}, t("price")), h("dd", {}, fmt.money(a.price, a.currency)),
      a.notes ? [h("dt", {}, t("notes")), h("dd", {}, a.notes)] : null);
    body.append(facts, alert);
    if (!a.writable) { body.append(h("p", { class: "muted" }, t("read_only"))); return; }

    const reason = h("textarea", { name: "reason", rows: 2, maxlength: 500 });
    const act = async (action) => {
      alert.textContent = "";
      if ((action === "cancel" || action === "reject") && !reason.value.trim()) {
        alert.textContent = t("reason_needed");
        reason.focus();
        return;
      }
      try {
        const done = await api("POST", `/admin/appointments/${encodeURIComponent(a.reference)}/${action.replace("_", "-")}`,
          reason.value.trim() ? { reason: reason.value.trim() } : undefined);
        ctx.toast(t("done", { reference: done.reference, status: t(`status_${done.status}`) }), "ok");
        close(done);
      } catch (error) { alert.textContent = error.status === 403 ? t("forbidden") : error.message; }
    };
    const actions = a.actions.filter((action) => action !== "move");  // moving has its own form below
    if (actions.length) {
      body.append(field(t("reason"), reason), h("div", { class: "actions" }, actions.map((action) => h("button", {
        type: "button", class: action === "cancel" || action === "reject" || action === "no_show" ? "danger" : "",
        dataset: { action }, onclick: () => act(action) }, t(`act_${action}`)))));
    }
    if (!MOVABLE.has(a.status)) return;
    const when = whenInputs(fmt, t, fmt.wallClock(a.start));
    const professional = staffSelect(t, staff.some((m) => m.id === a.staff) ? staff : [{ id: a.staff, name: a.staff_name }, ...staff], a.staff);
    const override = h("input", { name: "move_override_reason", maxlength: 500 });
    body.append(h("form", { class: "stack move", onsubmit: async (event) => {
      event.preventDefault();
      alert.textContent = "";
      const request = { start: when.instant() };
      if (professional.value !== a.staff) request.staff = professional.value;
      if (override.value.trim()) request.override_reason = override.value.trim();
      try {
        const moved = await api("POST", `/admin/appointments/${encodeURIComponent(a.reference)}/reschedule`, request);
        ctx.toast(t("moved", { reference: moved.reference }), "ok");
        close(moved);
      } catch (error) { alert.textContent = error.status === 403 ? t("forbidden") : error.message; }
    } }, h("h3", {}, t("move_title")), when.fields, field(t("staff"), professional), field(t("move_override"), override),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("move")))));
  }, t("close"));
}

// The audit log (administrators): who changed what in the backoffice, newest first, a page at a time,
// with each change's fields before and after.
import { h, mount } from "../dom.js";

const PAGE = 25;
const OBJECTS = ["client", "service", "staff", "business", "access", "appointment"];
const VERBS = ["create", "update", "change", "invite", "reinvite", "revoke", "reschedule", "approve", "reject", "cancel",
  "check_in", "complete", "no_show", "move"];

/** "client.update" -> "Client: changed"; an action this screen does not know shows as its code. */
function actionLabel(t, action) {
  const [object, verb] = action.split(".");
  if (!OBJECTS.includes(object) || !VERBS.includes(verb)) return action;
  return `${t(`obj_${object}`)}: ${t(`verb_${verb}`)}`;
}

const clientName = (c) => [c.first_name, c.last_name].filter(Boolean).join(" ");

const shown = (value) => (value === null || value === undefined || value === "" ? "—"
  : typeof value === "object" ? JSON.stringify(value) : String(value));

/** The fields that differ between before and after (all of after for a creation). */
function changes(entry) {
  const before = entry.before || {};
  const after = entry.after || {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => h("li", {},
    h("code", {}, k), ": ", entry.before ? [shown(before[k]), " → "] : null, shown(after[k])));
}

export default {
  id: "audit",
  path: "/audit",
  nav: "nav",
  requires: "audit.read",
  order: 80,
  messages: {
    en: { nav: "Audit log", when: "When", who: "Who", what: "What", target: "On", changes: "Changes", older: "Show older",
      none: "Nothing has been changed yet.", level: "level {n}",
      obj_client: "Client", obj_service: "Service", obj_staff: "Staff member", obj_business: "Business", obj_access: "Access",
      obj_appointment: "Appointment", verb_create: "added", verb_update: "changed", verb_change: "level changed",
      verb_invite: "invited", verb_reinvite: "invited again", verb_revoke: "removed", verb_reschedule: "moved",
      verb_approve: "approved", verb_reject: "declined", verb_cancel: "cancelled", verb_check_in: "checked in",
      verb_complete: "completed", verb_no_show: "no-show", verb_move: "moved" },
    es: { nav: "Registro", when: "Cuándo", who: "Quién", what: "Qué", target: "Sobre", changes: "Cambios", older: "Ver anteriores",
      none: "Aún no se ha cambiado nada.", level: "nivel {n}",
      obj_client: "Cliente", obj_service: "Servicio", obj_staff: "Persona del equipo", obj_business: "Negocio", obj_access: "Acceso",
      obj_appointment: "Cita", verb_create: "creado", verb_update: "modificado", verb_change: "nivel cambiado",
      verb_invite: "invitado", verb_reinvite: "invitado de nuevo", verb_revoke: "retirado", verb_reschedule: "movida",
      verb_approve: "aprobada", verb_reject: "rechazada", verb_cancel: "cancelada", verb_check_in: "llegada registrada",
      verb_complete: "terminada", verb_no_show: "no presentado", verb_move: "movida" },
    it: { nav: "Registro modifiche", when: "Quando", who: "Chi", what: "Cosa", target: "Su", changes: "Modifiche",
      older: "Mostra precedenti", none: "Ancora nessuna modifica.", level: "livello {n}",
      obj_client: "Cliente", obj_service: "Servizio", obj_staff: "Collaboratore", obj_business: "Attività", obj_access: "Accesso",
      obj_appointment: "Appuntamento", verb_create: "aggiunto", verb_update: "modificato", verb_change: "livello cambiato",
      verb_invite: "invitato", verb_reinvite: "invitato di nuovo", verb_revoke: "tolto", verb_reschedule: "spostato",
      verb_approve: "approvato", verb_reject: "rifiutato", verb_cancel: "annullato", verb_check_in: "arrivo registrato",
      verb_complete: "completato", verb_no_show: "non presentato", verb_move: "spostato" },
    cs: { nav: "Záznam změn", when: "Kdy", who: "Kdo", what: "Co", target: "Čeho", changes: "Změny", older: "Zobrazit starší",
      none: "Zatím se nic nezměnilo.", level: "úroveň {n}",
      obj_client: "Klient", obj_service: "Služba", obj_staff: "Pracovník", obj_business: "Provozovna", obj_access: "Přístup",
      obj_appointment: "Rezervace", verb_create: "přidáno", verb_update: "změněno", verb_change: "změněna úroveň",
      verb_invite: "pozván", verb_reinvite: "pozván znovu", verb_revoke: "odebráno", verb_reschedule: "přesunuto",
      verb_approve: "schváleno", verb_reject: "zamítnuto", verb_cancel: "zrušeno", verb_check_in: "příchod zapsán",
      verb_complete: "dokončeno", verb_no_show: "nedostavil se", verb_move: "přesunuto" },
    et: { nav: "Muudatuste logi", when: "Millal", who: "Kes", what: "Mis", target: "Millele", changes: "Muudatused",
      older: "Näita vanemaid", none: "Midagi pole veel muudetud.", level: "tase {n}",
      obj_client: "Klient", obj_service: "Teenus", obj_staff: "Töötaja", obj_business: "Ettevõte", obj_access: "Juurdepääs",
      obj_appointment: "Broneering", verb_create: "lisatud", verb_update: "muudetud", verb_change: "tase muudetud",
      verb_invite: "kutsutud", verb_reinvite: "uuesti kutsutud", verb_revoke: "eemaldatud", verb_reschedule: "teisaldatud",
      verb_approve: "kinnitatud", verb_reject: "tagasi lükatud", verb_cancel: "tühistatud", verb_check_in: "saabumine märgitud",
      verb_complete: "lõpetatud", verb_no_show: "ei tulnud", verb_move: "teisaldatud" },
  },

  async render(root, { api, t, fmt, toast }) {
    const body = h("tbody");
    const older = h("button", { type: "button", hidden: true }, t("older"));
    let cursor = null;
    const row = (e) => {
      const data = e.after || e.before || {};
      return h("tr", { dataset: { action: e.action } },
        h("td", {}, h("time", { datetime: e.at }, fmt.dateTime(e.at))),
        h("td", {}, e.actor.email || e.actor.staff || "—", e.actor.level ? h("span", { class: "muted" }, ` · ${t("level", { n: e.actor.level })}`) : null),
        h("td", {}, actionLabel(t, e.action)),
        h("td", {}, e.target.kind === "client"
          ? h("a", { href: `#/clients/${encodeURIComponent(e.target.id)}` }, clientName(data) || e.target.id)
          : data.name || e.target.id),
        h("td", {}, h("ul", { class: "changes" }, changes(e))));
    };
    async function load() {
      const query = new URLSearchParams({ limit: String(PAGE) });
      if (cursor) query.set("cursor", cursor);
      const page = await api("GET", `/admin/audit?${query}`);
      body.append(...page.entries.map(row));
      cursor = page.next_cursor;
      older.hidden = !cursor;
    }
    older.addEventListener("click", () => load().catch(toast));
    await load();
    mount(root, h("h1", {}, t("nav")),
      body.children.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid audit" },
        h("thead", {}, h("tr", {}, ["when", "who", "what", "target", "changes"].map((k) => h("th", { scope: "col" }, t(k))))), body))
        : h("p", { class: "muted" }, t("none")),
      older);
  },
};

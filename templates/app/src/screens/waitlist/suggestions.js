// Manual mode: the freed times suggested to staff (from the month's offer log), who is waiting for each, and
// booking one of them from the suggestion (convert with `offer`, so the freed time counts as filled).
// The requests are read only when staff open a suggestion, so the screen itself reads nothing more.
import { h, dialog } from "../../dom.js";

export const SUGGESTION_MESSAGES = {
  en: { suggested: "Freed times to offer", freed_time: "Freed time", waiting_for_it: "Waiting for it",
    who: "Who is waiting", nobody_left: "Nobody is waiting for this time any more." },
  es: { suggested: "Huecos liberados para ofrecer", freed_time: "Hueco liberado", waiting_for_it: "Esperándolo",
    who: "Quién espera", nobody_left: "Ya no hay nadie esperando este hueco." },
  it: { suggested: "Orari liberati da offrire", freed_time: "Orario liberato", waiting_for_it: "In attesa",
    who: "Chi aspetta", nobody_left: "Nessuno aspetta più questo orario." },
  cs: { suggested: "Uvolněné termíny k nabídnutí", freed_time: "Uvolněný termín", waiting_for_it: "Čekají",
    who: "Kdo čeká", nobody_left: "Na tento termín už nikdo nečeká." },
  et: { suggested: "Vabanenud ajad pakkumiseks", freed_time: "Vabanenud aeg", waiting_for_it: "Ootajaid",
    who: "Kes ootavad", nobody_left: "Seda aega ei oota enam keegi." },
};

const fullName = (c) => [c.first_name, c.last_name].filter(Boolean).join(" ");

function whoDialog(ctx, opening, title, writes, done) {
  const { t, api, toast } = ctx;
  dialog(title, async (body, close) => {
    const found = await Promise.all(opening.offered.map((id) =>
      api("GET", `/admin/waitlist/${encodeURIComponent(id)}`).catch(() => null)));
    const open = found.filter((r) => r && ["waiting", "offered"].includes(r.status));
    if (!open.length) { body.append(h("p", { class: "muted" }, t("nobody_left"))); return; }
    body.append(h("ul", { class: "plain matches" }, open.map((r) => h("li", { dataset: { request: r.id } },
      h("span", {}, fullName(r.client)), " ",
      writes ? h("button", { type: "button", class: "primary", onclick: async () => {
        try {
          const booked = await api("POST", `/admin/waitlist/${encodeURIComponent(r.id)}/convert`,
            { start: opening.start, staff: opening.staff, offer: opening.id });
          toast(t("booked", { reference: booked.appointment.reference }));
          close(true);
          await done();
        } catch (error) { toast(error); }
      } }, t("book")) : null))));
  }, t("close"));
}

export function suggestionsSection(ctx, offers, names, writes, reload) {
  const { t, fmt } = ctx;
  const now = Date.now();
  const open = offers.filter((o) => o.status === "suggested" && Date.parse(o.start) > now && o.offered.length);
  if (!open.length) return null;
  const rows = open.map((o) => {
    const title = `${names.service(o.service)} · ${names.staff(o.staff)} · ${fmt.dateTime(o.start)}`;
    const row = h("tr", { dataset: { offer: o.id } },
      h("td", {}, h("time", { datetime: o.start }, fmt.dateTime(o.start))),
      h("td", {}, names.service(o.service), h("div", { class: "muted" }, names.staff(o.staff))),
      h("td", {}, String(o.offered.length)),
      h("td", { class: "actions" }, h("button", { type: "button", onclick: () => whoDialog(ctx, o, title, writes,
        async () => { row.remove(); await reload(); }) }, t("who"))));
    return row;
  });
  return h("section", { class: "suggestions", "aria-label": t("suggested") }, h("h2", {}, t("suggested")),
    h("div", { class: "table-wrap" }, h("table", { class: "grid" },
      h("thead", {}, h("tr", {}, ["freed_time", "service", "waiting_for_it", "actions"].map((k) =>
        h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, rows))));
}

// A change that covers appointments (a closure, special hours, time off): the API answers 409
// `appointments_affected` with their list; this shows it and offers to cancel them (on_conflict "cancel").
// Not a screen; a screen merges COVERING_WORDS into its messages (withCoveringWords).
import { h, mount } from "../../dom.js";

export const COVERING_WORDS = {
  en: { affected: "These appointments fall in that time. Nothing was saved.", reference: "Reference", when: "When",
    client: "Client", with: "With", cancel_them: "Cancel these appointments and save" },
  es: { affected: "Estas citas caen en ese tiempo. No se ha guardado nada.", reference: "Referencia", when: "Cuándo",
    client: "Cliente", with: "Con", cancel_them: "Cancelar estas citas y guardar" },
  it: { affected: "Questi appuntamenti cadono in quel periodo. Non è stato salvato nulla.", reference: "Codice",
    when: "Quando", client: "Cliente", with: "Con", cancel_them: "Annulla questi appuntamenti e salva" },
  cs: { affected: "Tyto rezervace spadají do té doby. Nic nebylo uloženo.", reference: "Kód", when: "Kdy",
    client: "Klient", with: "U", cancel_them: "Zrušit tyto rezervace a uložit" },
  et: { affected: "Need broneeringud jäävad sellesse aega. Midagi ei salvestatud.", reference: "Viide", when: "Millal",
    client: "Klient", with: "Kellega", cancel_them: "Tühista need broneeringud ja salvesta" },
};

/** A screen's messages with the covering list's words merged in. */
export function withCoveringWords(messages) {
  return Object.fromEntries(Object.entries(messages).map(([lang, words]) => [lang, { ...COVERING_WORDS[lang], ...words }]));
}

/** send(onConflict) once; on 409 appointments_affected show the list in `where` with a button per choice
 * (default "cancel"; a desk also offers "move") that sends again with it. Resolves with the answer once
 * saved; other errors reject as they came. A choice's button reads t(`${choice}_them`). */
export function covering(ctx, where, send, choices = ["cancel"]) {
  const { t, fmt } = ctx;
  return send(null).catch((error) => {
    if (error.status !== 409 || error.code !== "appointments_affected" || !error.appointments) throw error;
    return new Promise((resolve, reject) => {
      mount(where, h("div", { class: "affected", role: "alert" },
        h("p", {}, t("affected")),
        h("div", { class: "table-wrap" }, h("table", { class: "grid affected-list" },
          h("thead", {}, h("tr", {}, ["reference", "when", "client", "with"].map((k) => h("th", { scope: "col" }, t(k))))),
          h("tbody", {}, error.appointments.map((a) => h("tr", { dataset: { reference: a.reference } },
            h("td", {}, a.reference), h("td", {}, `${fmt.dateTime(a.start)} – ${fmt.time(a.end)}`), h("td", {}, a.client),
            h("td", {}, a.resources.map((r) => r.name || r.id).join(", "))))))),
        h("div", { class: "actions" }, choices.map((choice) => h("button", {
          type: "button", class: choice === "cancel" ? "danger" : "primary", dataset: { choice }, onclick: (event) => {
            event.currentTarget.disabled = true;
            send(choice).then(resolve, reject);
          } }, t(`${choice}_them`))))));
    });
  });
}

/** The body with on_conflict when one was chosen. */
export function withChoice(body, onConflict) {
  return onConflict ? { ...body, on_conflict: onConflict } : body;
}

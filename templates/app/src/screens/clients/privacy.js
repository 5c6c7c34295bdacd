// A client's data, the other way round (levels 1-2, `privacy.export` / `privacy.erase`): download everything
// Turno keeps about them as one JSON file, or erase them after a confirmation that says what happens.
import { dialog, h } from "../../dom.js";
import { translator } from "../../i18n.js";

const WORDS = {
  en: { privacy: "Data and privacy", hint: "Everything kept about this client, as one file, or their erasure.",
    export: "Export data", exported: "Export downloaded.", erase: "Erase client", erase_title: "Erase {name}?",
    explain: "This cannot be undone. Their name, email, phones, fiscal code and notes are removed from every record, " +
      "future appointments are cancelled without a message, and their email and phone go on the do-not-contact list. " +
      "Past appointments stay in the figures as “Erased client”.",
    keep: "Keep the client", confirm: "Erase for good", erased: "Client erased.", erased_on: "Erased on {date}." },
  es: { privacy: "Datos y privacidad", hint: "Todo lo que se guarda de este cliente, en un archivo, o su supresión.",
    export: "Exportar datos", exported: "Exportación descargada.", erase: "Suprimir cliente",
    erase_title: "¿Suprimir a {name}?",
    explain: "No se puede deshacer. Su nombre, correo, teléfonos, código fiscal y notas se eliminan de todos los registros, " +
      "las citas futuras se cancelan sin enviar mensaje y su correo y teléfono pasan a la lista de no contactar. " +
      "Las citas pasadas siguen en las cifras como «Cliente suprimido».",
    keep: "Conservar el cliente", confirm: "Suprimir definitivamente", erased: "Cliente suprimido.",
    erased_on: "Suprimido el {date}." },
  it: { privacy: "Dati e privacy", hint: "Tutto ciò che si conserva di questo cliente, in un file, o la sua cancellazione.",
    export: "Esporta dati", exported: "Esportazione scaricata.", erase: "Cancella cliente",
    erase_title: "Cancellare {name}?",
    explain: "Non si può annullare. Nome, email, telefoni, codice fiscale e note vengono rimossi da ogni registro, " +
      "gli appuntamenti futuri sono annullati senza messaggio ed email e telefono entrano nella lista da non contattare. " +
      "Gli appuntamenti passati restano nei dati come «Cliente cancellato».",
    keep: "Mantieni il cliente", confirm: "Cancella definitivamente", erased: "Cliente cancellato.",
    erased_on: "Cancellato il {date}." },
  cs: { privacy: "Údaje a soukromí", hint: "Vše, co se o klientovi uchovává, v jednom souboru, nebo jeho výmaz.",
    export: "Exportovat údaje", exported: "Export stažen.", erase: "Vymazat klienta", erase_title: "Vymazat {name}?",
    explain: "Nelze vrátit zpět. Jméno, e-mail, telefony, daňový kód a poznámky se odstraní ze všech záznamů, " +
      "budoucí rezervace se zruší bez zprávy a e-mail a telefon se zapíší na seznam nekontaktovat. " +
      "Minulé rezervace zůstanou ve výsledcích jako „Vymazaný klient“.",
    keep: "Ponechat klienta", confirm: "Trvale vymazat", erased: "Klient vymazán.", erased_on: "Vymazán {date}." },
  et: { privacy: "Andmed ja privaatsus", hint: "Kõik, mida sellest kliendist hoitakse, ühe failina, või tema kustutamine.",
    export: "Ekspordi andmed", exported: "Eksport alla laaditud.", erase: "Kustuta klient",
    erase_title: "Kustutada {name}?",
    explain: "Seda ei saa tagasi võtta. Nimi, e-post, telefonid, isikukood ja märkmed eemaldatakse kõigist kirjetest, " +
      "tulevased broneeringud tühistatakse sõnumit saatmata ning e-post ja telefon lisatakse mitte-kontakteeruda nimekirja. " +
      "Varasemad broneeringud jäävad arvudesse kui „Kustutatud klient“.",
    keep: "Jäta klient alles", confirm: "Kustuta lõplikult", erased: "Klient kustutatud.", erased_on: "Kustutatud {date}." },
};

/** Downloads `body` as a JSON file (a Blob: nothing leaves the browser again). */
function save(body, filename) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(body, null, 1)], { type: "application/json" }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The client profile's "Data and privacy" card, or null for a level that may do neither. */
export function privacyCard(ctx, client, path, reload) {
  const exports = ctx.me.actions.includes("privacy.export");
  const erases = ctx.me.actions.includes("privacy.erase") && !client.erased_at;
  if (!exports && !erases && !client.erased_at) return null;
  const t = translator(ctx.lang, WORDS);
  const name = [client.first_name, client.last_name].filter(Boolean).join(" ");

  async function download() {
    const body = await ctx.api("GET", `${path}/export`);
    save(body, `client-${client.id}-${body.exported_at.slice(0, 10)}.json`);
    ctx.toast(t("exported"), "ok");
  }

  const erase = () => dialog(t("erase_title", { name }), (body, close) => {
    const confirm = h("button", { type: "button", class: "danger", onclick: async () => {
      confirm.disabled = true;
      try {
        await ctx.api("POST", `${path}/erase`, { confirm: true });
        close(true);
      } catch (error) {
        confirm.disabled = false;
        ctx.toast(error);
      }
    } }, t("confirm"));
    body.append(h("p", { class: "alert" }, t("explain")),
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => close() }, t("keep")), confirm));
  }, ctx.t("close")).then((done) => {
    if (!done) return;
    ctx.toast(t("erased"), "ok");
    reload();
  });

  return h("section", { class: "card", "aria-labelledby": "client-privacy" },
    h("h2", { id: "client-privacy" }, t("privacy")),
    client.erased_at ? h("p", { dataset: { fact: "erased" } }, t("erased_on", { date: ctx.fmt.date(client.erased_at) }))
      : h("p", { class: "muted" }, t("hint")),
    h("div", { class: "actions" },
      exports && h("button", { type: "button", onclick: () => download().catch(ctx.toast) }, t("export")),
      erases && h("button", { type: "button", class: "danger", onclick: erase }, t("erase"))));
}

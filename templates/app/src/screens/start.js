// Guided start for a new business (levels 1-2): add services, add the people who perform them, open the
// booking page. It is the landing screen until the business can take a booking (a service that is
// bookable online and someone who performs it); then it leaves the navigation (`hidden`).
import { h, mount } from "../dom.js";

async function progress(api) {
  const [{ services }, { staff }] = await Promise.all([api("GET", "/admin/services"), api("GET", "/admin/staff")]);
  const bookable = new Set(services.filter((s) => s.status === "active").map((s) => s.id));
  return { services: bookable.size > 0, staff: staff.some((m) => m.services.some((id) => bookable.has(id))) };
}

export default {
  id: "start",
  path: "/start",
  nav: "nav",
  requires: ["services.write", "staff.write"],
  order: 5,
  hidden: async ({ api }) => {
    const done = await progress(api);
    return done.services && done.staff;
  },
  messages: {
    en: { nav: "Start", title: "Welcome to Turno", intro: "Three steps and your clients can book online.",
      services: "Add your services", services_text: "What you offer, how long it takes and its price.",
      staff: "Add your team", staff_text: "Who works here, their hours, and the services each one performs.",
      page: "Open your booking page", page_text: "Share this link with your clients, or put it on your website.",
      go_services: "Go to services", go_staff: "Go to the team", done: "Done", todo: "To do",
      ready: "All set: your booking page takes bookings." },
    es: { nav: "Empezar", title: "Bienvenido a Turno", intro: "Tres pasos y tus clientes podrán reservar en línea.",
      services: "Añade tus servicios", services_text: "Qué ofreces, cuánto dura y su precio.",
      staff: "Añade tu equipo", staff_text: "Quién trabaja aquí, su horario y qué servicios hace cada uno.",
      page: "Abre tu página de reservas", page_text: "Comparte este enlace con tus clientes o ponlo en tu web.",
      go_services: "Ir a servicios", go_staff: "Ir al equipo", done: "Hecho", todo: "Pendiente",
      ready: "Todo listo: tu página ya acepta reservas." },
    it: { nav: "Inizia", title: "Benvenuto in Turno", intro: "Tre passi e i tuoi clienti possono prenotare online.",
      services: "Aggiungi i tuoi servizi", services_text: "Cosa offri, quanto dura e il prezzo.",
      staff: "Aggiungi il tuo staff", staff_text: "Chi lavora qui, i suoi orari e i servizi che esegue.",
      page: "Apri la tua pagina di prenotazione", page_text: "Condividi questo link con i clienti o mettilo sul tuo sito.",
      go_services: "Vai ai servizi", go_staff: "Vai allo staff", done: "Fatto", todo: "Da fare",
      ready: "Tutto pronto: la tua pagina accetta prenotazioni." },
    cs: { nav: "Začínáme", title: "Vítejte v Turnu", intro: "Tři kroky a vaši klienti mohou rezervovat online.",
      services: "Přidejte své služby", services_text: "Co nabízíte, jak dlouho to trvá a kolik to stojí.",
      staff: "Přidejte svůj tým", staff_text: "Kdo tu pracuje, jeho pracovní doba a služby, které provádí.",
      page: "Otevřete svou rezervační stránku", page_text: "Sdílejte tento odkaz s klienty nebo jej dejte na svůj web.",
      go_services: "Ke službám", go_staff: "K týmu", done: "Hotovo", todo: "Zbývá",
      ready: "Vše připraveno: vaše stránka přijímá rezervace." },
    et: { nav: "Alusta", title: "Tere tulemast Turnosse", intro: "Kolm sammu ja kliendid saavad veebis broneerida.",
      services: "Lisa oma teenused", services_text: "Mida pakud, kui kaua see kestab ja mis see maksab.",
      staff: "Lisa oma meeskond", staff_text: "Kes siin töötab, nende tööajad ja teenused, mida igaüks teeb.",
      page: "Ava oma broneerimisleht", page_text: "Jaga seda linki klientidega või pane see oma veebilehele.",
      go_services: "Teenuste juurde", go_staff: "Meeskonna juurde", done: "Tehtud", todo: "Tegemata",
      ready: "Kõik valmis: sinu leht võtab broneeringuid vastu." },
  },

  async render(root, { api, t, business }) {
    const done = await progress(api);
    const page = new URL(`../b/${encodeURIComponent(business.slug)}`, document.baseURI).href;
    const step = (key, finished, action) => h("li", { class: finished ? "done" : null, dataset: { step: key } },
      h("h2", {}, t(key), h("span", { class: "sr" }, ` (${t(finished ? "done" : "todo")})`)),
      h("p", {}, t(`${key}_text`)), action);
    mount(root, h("h1", {}, t("title")),
      h("p", {}, done.services && done.staff ? t("ready") : t("intro")),
      h("ol", { class: "steps" },
        step("services", done.services, h("a", { href: "#/services" }, t("go_services"))),
        step("staff", done.staff, h("a", { href: "#/staff" }, t("go_staff"))),
        step("page", false, h("a", { href: page, target: "_blank", rel: "noopener", class: "booking-link" }, page))));
  },
};

// The team (levels 1-2): profiles, the services each performs, weekly hours with a break, time off,
// personal codes, and logins: invitations by email, access levels, taking access away.
import { dialog, field, h, mount } from "../dom.js";
import { covering, withChoice, withCoveringWords } from "./parts/covering.js";
import { apiForm, timeOffEditor, values, weekEditor, withEditorWords } from "./parts/forms.js";

const LEVELS = [1, 2, 3, 4, 5, 6, 7];

function servicesField(ctx, services, chosen) {
  return h("fieldset", { "data-field": "services" }, h("legend", {}, ctx.t("services")),
    services.length ? services.map((s) => h("div", { class: "check" },
      h("input", { type: "checkbox", id: `stf-svc-${s.id}`, name: "services", value: s.id, checked: chosen.has(s.id) }),
      h("label", { for: `stf-svc-${s.id}` }, s.name))) : h("p", { class: "muted" }, ctx.t("no_services")));
}

const checked = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);

function levelSelect(ctx, name, current) {
  // Only an administrator may make someone an administrator: others are not offered level 1.
  const offered = LEVELS.filter((l) => l !== 1 || ctx.me.level === 1 || current === 1);
  return h("select", { name }, offered.map((l) => h("option", { value: l, selected: l === current }, `${l} · ${ctx.t(`level_${l}`)}`)));
}

function profileForm(ctx, member, services, done) {
  const seesCodes = ctx.me.actions.includes("codes.read");
  const input = (name, attrs = {}) => field(ctx.t(name), h("input", { name, value: (member && member[name]) || "", ...attrs }));
  return apiForm(ctx, { class: "stack" }, async (form) => {
    const body = values(form, ["name", "email", "phone", ...(seesCodes && member ? ["secret_code"] : [])]);
    body.services = checked(form, "services");
    const path = member ? `/admin/staff/${encodeURIComponent(member.id)}` : "/admin/staff";
    await done(await ctx.api(member ? "PATCH" : "POST", path, body));
  },
  h("div", { class: "form-grid" }, input("name", { required: true, maxlength: 120 }),
    input("email", { type: "email", maxlength: 254, disabled: Boolean(member && member.access) }),
    input("phone", { type: "tel", maxlength: 40 }),
    seesCodes && member && field(ctx.t("secret_code"), h("input", { name: "secret_code", inputmode: "numeric", maxlength: 6,
      autocomplete: "off", value: member.secret_code || "" }), ctx.t("code_hint"))),
  servicesField(ctx, services, new Set((member && member.services) || [])),
  h("button", { type: "submit", class: "primary" }, ctx.t("save")));
}

function accessPart(ctx, member, done) {
  const { t, api } = ctx;
  const id = encodeURIComponent(member.id);
  if (!member.access) {
    return apiForm(ctx, { class: "stack" }, async (form) => {
      const { email, level } = values(form, ["email", "level"]);
      const sent = await api("POST", "/admin/staff/invitations", { email, level: Number(level), staff_id: member.id });
      await done(sent, t(sent.invitation.sent ? "invited" : "invite_not_sent"));
    }, h("p", { class: "muted" }, t("no_login")),
    h("div", { class: "form-grid" }, field(t("login_email"), h("input", { type: "email", name: "email", required: true,
      value: member.email || "" })), field(t("level"), levelSelect(ctx, "level", 5))),
    h("button", { type: "submit", class: "primary" }, t("invite")));
  }
  return apiForm(ctx, { class: "stack" }, async (form) => {
    const level = Number(form.elements.namedItem("level").value);
    await done(await api("PUT", `/admin/staff/${id}/access`, { level }), t("saved"));
  }, h("p", {}, t("signs_in_as", { email: member.access.email })),
  field(t("level"), levelSelect(ctx, "level", member.access.level)),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("change_level")),
    h("button", { type: "button", onclick: async () => {
      try {
        const sent = await api("POST", `/admin/staff/${id}/invitation`);
        ctx.toast(t(sent.invitation.sent ? "invited" : "invite_not_sent"), sent.invitation.sent ? "ok" : "error");
      } catch (error) { ctx.toast(error); }
    } }, t("resend")),
    h("button", { type: "button", class: "danger", onclick: async () => {
      if (!window.confirm(t("revoke_confirm", { name: member.name }))) return;
      try { await done(await api("DELETE", `/admin/staff/${id}/access`), t("revoked")); } catch (error) { ctx.toast(error); }
    } }, t("revoke"))));
}

function memberDialog(ctx, member, services, reload) {
  const { t, api, toast } = ctx;
  const path = `/admin/staff/${encodeURIComponent(member.id)}`;
  dialog(member.name, (body, close) => {
    body.parentElement.classList.add("wide"); // hours and time off need the room
    // The list is fresh before the dialog closes: opening the member again shows what was saved.
    const done = (message) => async () => { await reload(); close(); toast(message || t("saved"), "ok"); };
    const week = weekEditor(ctx, member.hours, "hours");
    const off = timeOffEditor(ctx, member.time_off, "time_off");
    const offConflicts = h("div", { class: "conflicts" });
    body.append(
      h("h3", {}, t("profile")), profileForm(ctx, member, services, done()),
      h("h3", {}, t("hours")), apiForm(ctx, {}, async () => { await api("PATCH", path, { hours: week.value() }); await done()(); },
        h("div", { class: "table-wrap" }, week.el), h("button", { type: "submit", class: "primary" }, t("save"))),
      h("h3", {}, t("time_off")), apiForm(ctx, {}, async () => {
        // new time off over appointments: their list, and the choice to cancel them (parts/covering.js)
        await covering(ctx, offConflicts, (choice) => api("PATCH", path, withChoice({ time_off: off.value() }, choice)));
        await done()();
      }, off.el, offConflicts, h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("save")))),
      ...(ctx.me.actions.includes("access.write") ? [h("h3", {}, t("access")),
        accessPart(ctx, member, async (_, message) => done(message)())] : []));
  }, t("close"));
}

function inviteDialog(ctx, reload) {
  const { t, api, toast } = ctx;
  dialog(t("invite_new"), (body, close) => body.append(apiForm(ctx, { class: "stack" }, async (form) => {
    const found = values(form, ["staff.name", "email", "level"]);
    const body = { email: found.email, level: Number(found.level), staff: { name: found["staff.name"] } };
    const sent = await api("POST", "/admin/staff/invitations", body);
    close();
    toast(t(sent.invitation.sent ? "invited" : "invite_not_sent"), "ok");
    reload();
  }, h("div", { class: "form-grid" }, field(t("name"), h("input", { name: "staff.name", required: true, maxlength: 120 })),
    field(t("login_email"), h("input", { type: "email", name: "email", required: true, maxlength: 254 })),
    field(t("level"), levelSelect(ctx, "level", 3))),
  h("button", { type: "submit", class: "primary" }, t("invite")))), t("close"));
}

export default {
  id: "staff",
  path: "/staff",
  nav: "nav",
  requires: "staff.write",
  order: 50,
  messages: withCoveringWords(withEditorWords({
    en: { nav: "Team", add: "Add staff member", invite_new: "Invite someone", name: "Name", email: "Email", phone: "Phone",
      services: "Services", no_services: "No services yet.", secret_code: "Personal code",
      code_hint: "4 to 6 digits: clients who know it may book this person when the business has a code.",
      login: "Sign-in", no_login: "No sign-in yet.", profile: "Profile", hours: "Weekly hours", time_off: "Time off",
      access: "Access", login_email: "Sign-in email", level: "Access level", invite: "Send invitation",
      invited: "Invitation sent.", invite_not_sent: "The login exists but the email could not be sent: resend it later.",
      signs_in_as: "Signs in as {email}.", change_level: "Change level", resend: "Resend invitation",
      revoke: "Remove access", revoke_confirm: "Remove {name}'s access to the backoffice?", revoked: "Access removed.",
      saved: "Saved.", edit: "Open", none: "No staff yet.", level_1: "administrator", level_2: "manager",
      level_3: "reception", level_4: "reception (agenda and clients)", level_5: "professional",
      level_6: "professional (no client contacts)", level_7: "professional (own agenda only)" },
    es: { nav: "Equipo", add: "Añadir persona", invite_new: "Invitar a alguien", name: "Nombre", email: "Correo electrónico",
      phone: "Teléfono", services: "Servicios", no_services: "Aún no hay servicios.", secret_code: "Código personal",
      code_hint: "De 4 a 6 cifras: quien lo conozca puede reservar con esta persona cuando el negocio tiene código.",
      login: "Acceso", no_login: "Aún sin acceso.", profile: "Perfil", hours: "Horario semanal", time_off: "Ausencias",
      access: "Acceso", login_email: "Correo de acceso", level: "Nivel de acceso", invite: "Enviar invitación",
      invited: "Invitación enviada.", invite_not_sent: "El acceso existe pero el correo no salió: reenvíalo más tarde.",
      signs_in_as: "Entra como {email}.", change_level: "Cambiar nivel", resend: "Reenviar invitación",
      revoke: "Quitar acceso", revoke_confirm: "¿Quitar a {name} el acceso a la gestión?", revoked: "Acceso retirado.",
      saved: "Guardado.", edit: "Abrir", none: "Aún no hay personal.", level_1: "administración", level_2: "gerencia",
      level_3: "recepción", level_4: "recepción (agenda y clientes)", level_5: "profesional",
      level_6: "profesional (sin contactos de clientes)", level_7: "profesional (solo su agenda)" },
    it: { nav: "Staff", add: "Aggiungi collaboratore", invite_new: "Invita qualcuno", name: "Nome", email: "Email",
      phone: "Telefono", services: "Servizi", no_services: "Ancora nessun servizio.", secret_code: "Codice personale",
      code_hint: "Da 4 a 6 cifre: chi lo conosce può prenotare con questa persona quando l'attività ha un codice.",
      login: "Accesso", no_login: "Ancora senza accesso.", profile: "Profilo", hours: "Orario settimanale",
      time_off: "Assenze", access: "Accesso", login_email: "Email di accesso", level: "Livello di accesso",
      invite: "Invia invito", invited: "Invito inviato.",
      invite_not_sent: "L'accesso esiste ma l'email non è partita: reinviala più tardi.",
      signs_in_as: "Accede come {email}.", change_level: "Cambia livello", resend: "Reinvia invito",
      revoke: "Togli accesso", revoke_confirm: "Togliere a {name} l'accesso al gestionale?", revoked: "Accesso tolto.",
      saved: "Salvato.", edit: "Apri", none: "Ancora nessun collaboratore.", level_1: "amministratore", level_2: "responsabile",
      level_3: "reception", level_4: "reception (agenda e clienti)", level_5: "professionista",
      level_6: "professionista (senza contatti dei clienti)", level_7: "professionista (solo la propria agenda)" },
    cs: { nav: "Tým", add: "Přidat pracovníka", invite_new: "Pozvat někoho", name: "Jméno", email: "E-mail",
      phone: "Telefon", services: "Služby", no_services: "Zatím žádné služby.", secret_code: "Osobní kód",
      code_hint: "4 až 6 číslic: kdo jej zná, může si u této osoby rezervovat, když má provozovna kód.",
      login: "Přihlášení", no_login: "Zatím bez přihlášení.", profile: "Profil", hours: "Týdenní pracovní doba",
      time_off: "Volno", access: "Přístup", login_email: "E-mail pro přihlášení", level: "Úroveň přístupu",
      invite: "Poslat pozvánku", invited: "Pozvánka odeslána.",
      invite_not_sent: "Přístup existuje, ale e-mail se nepodařilo odeslat: pošlete jej později znovu.",
      signs_in_as: "Přihlašuje se jako {email}.", change_level: "Změnit úroveň", resend: "Poslat pozvánku znovu",
      revoke: "Odebrat přístup", revoke_confirm: "Odebrat uživateli {name} přístup do systému?", revoked: "Přístup odebrán.",
      saved: "Uloženo.", edit: "Otevřít", none: "Zatím žádní pracovníci.", level_1: "administrátor", level_2: "vedoucí",
      level_3: "recepce", level_4: "recepce (diář a klienti)", level_5: "odborník",
      level_6: "odborník (bez kontaktů klientů)", level_7: "odborník (jen vlastní diář)" },
    et: { nav: "Meeskond", add: "Lisa töötaja", invite_new: "Kutsu kedagi", name: "Nimi", email: "E-post",
      phone: "Telefon", services: "Teenused", no_services: "Teenuseid veel pole.", secret_code: "Isiklik kood",
      code_hint: "4 kuni 6 numbrit: kes seda teab, saab selle inimese juurde broneerida, kui ettevõttel on kood.",
      login: "Sisselogimine", no_login: "Sisselogimist veel pole.", profile: "Profiil", hours: "Nädala tööaeg",
      time_off: "Vaba aeg", access: "Juurdepääs", login_email: "Sisselogimise e-post", level: "Juurdepääsutase",
      invite: "Saada kutse", invited: "Kutse saadetud.",
      invite_not_sent: "Konto on olemas, kuid e-kirja ei õnnestunud saata: saada hiljem uuesti.",
      signs_in_as: "Logib sisse kui {email}.", change_level: "Muuda taset", resend: "Saada kutse uuesti",
      revoke: "Eemalda juurdepääs", revoke_confirm: "Kas eemaldada kasutaja {name} juurdepääs?", revoked: "Juurdepääs eemaldatud.",
      saved: "Salvestatud.", edit: "Ava", none: "Töötajaid veel pole.", level_1: "administraator", level_2: "juht",
      level_3: "vastuvõtt", level_4: "vastuvõtt (kalender ja kliendid)", level_5: "spetsialist",
      level_6: "spetsialist (ilma kliendi kontaktideta)", level_7: "spetsialist (ainult oma kalender)" },
  })),

  async render(root, ctx) {
    const { t, api, toast } = ctx;
    const [{ staff }, { services }] = await Promise.all([api("GET", "/admin/staff"), api("GET", "/admin/services")]);
    const serviceNames = Object.fromEntries(services.map((s) => [s.id, s.name]));
    const reload = () => this.render(root, ctx).catch(toast);
    const add = () => dialog(t("add"), (body, close) => body.append(profileForm(ctx, null, services, async () => {
      close();
      toast(t("saved"), "ok");
      reload();
    })), t("close"));
    const invites = ctx.me.actions.includes("access.write");

    mount(root, h("div", { class: "toolbar" }, h("h1", {}, t("nav")),
      h("button", { type: "button", class: "primary", onclick: add }, t("add")),
      invites && h("button", { type: "button", onclick: () => inviteDialog(ctx, reload) }, t("invite_new"))),
    staff.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid staff" },
      h("thead", {}, h("tr", {}, ["name", "services", invites && "login"].filter(Boolean).map((k) => h("th", { scope: "col" }, t(k))),
        h("th", { scope: "col" }, h("span", { class: "sr" }, t("edit"))))),
      h("tbody", {}, staff.map((m) => h("tr", { dataset: { staff: m.id } },
        h("th", { scope: "row" }, m.name), h("td", {}, m.services.map((id) => serviceNames[id] || id).join(", ")),
        invites && h("td", {}, m.access ? `${m.access.email} · ${m.access.level} ${t(`level_${m.access.level}`)}` : t("no_login")),
        h("td", {}, h("button", { type: "button", "aria-label": `${t("edit")}: ${m.name}`,
          onclick: () => memberDialog(ctx, m, services, reload) }, t("edit"))))))))
      : h("p", { class: "muted" }, t("none")));
  },
};

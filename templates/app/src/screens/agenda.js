// Agenda (placeholder while the calendar lands): see the next commit.
import { h, mount } from "../dom.js";

export default {
  id: "agenda",
  path: "/agenda",
  nav: "nav",
  requires: "agenda.read",
  order: 10,
  messages: { en: { nav: "Agenda" }, es: { nav: "Agenda" }, it: { nav: "Agenda" }, cs: { nav: "Diář" }, et: { nav: "Kalender" } },
  render(root, { t }) {
    mount(root, h("h1", {}, t("nav")));
  },
};

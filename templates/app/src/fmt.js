// Dates, times and money through the browser's Intl, always in the business's time zone and currency
// (a receptionist's laptop may be set to another zone). Also the wall-clock <-> instant conversions the
// agenda needs: the calendar shows the business's wall clock, the API speaks instants.

const pad = (n) => String(n).padStart(2, "0");

function parts(instant, timeZone) {
  const found = {};
  new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(instant).forEach((p) => { found[p.type] = p.value; });
  return found;
}

/** "2026-03-24T11:00:00": the business's wall clock at an instant (an ISO string or a Date). */
export function wallClock(instant, timeZone) {
  const p = parts(new Date(instant), timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** The instant (a Date) at which the business's clock shows `wall` ("2026-03-24T11:00[:00]").
 * Two passes settle the offset, also on DST days; a time that does not exist moves forward. */
export function instantAt(wall, timeZone) {
  const [d, t = "00:00:00"] = wall.split("T");
  const [y, mo, da] = d.split("-").map(Number);
  const [hh, mi, ss = 0] = t.split(":").map(Number);
  const target = Date.UTC(y, mo - 1, da, hh, mi, ss);
  let guess = target;
  for (let i = 0; i < 2; i += 1) {
    const p = parts(new Date(guess), timeZone);
    const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    guess += target - shown;
  }
  return new Date(guess);
}

export function isoDate(y, m, d) {
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The formatters a screen gets as ctx.fmt, for one business and one language. */
export function formatters(locale, timeZone, currency) {
  const make = (options) => new Intl.DateTimeFormat(locale, { timeZone, ...options });
  const date = make({ dateStyle: "medium" });
  const longDate = make({ weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const time = make({ hour: "2-digit", minute: "2-digit" });
  const dateTime = make({ dateStyle: "medium", timeStyle: "short" });
  const money = new Intl.NumberFormat(locale, { style: "currency", currency });
  return {
    locale, timeZone, currency,
    date: (x) => date.format(new Date(x)),
    longDate: (x) => longDate.format(new Date(x)),
    time: (x) => time.format(new Date(x)),
    dateTime: (x) => dateTime.format(new Date(x)),
    /** money("25.00") -> "25,00 €"; amounts come as decimal strings, never floats in the API. */
    money: (amount, other) => (other && other !== currency
      ? new Intl.NumberFormat(locale, { style: "currency", currency: other }) : money).format(Number(amount)),
    /** "YYYY-MM-DD" of today in the business's zone. */
    today: () => wallClock(new Date(), timeZone).slice(0, 10),
    wallClock: (x) => wallClock(x, timeZone),
    instantAt: (wall) => instantAt(wall, timeZone),
  };
}

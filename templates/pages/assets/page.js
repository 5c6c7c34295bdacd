/* Turno's public pages: book a slot, manage a booking. No build step, no dependencies.
   Everything the page needs comes in #page-data (rendered by chalicelib/api/pages.py); the rest is
   the public JSON API, at URLs relative to the page so any stage prefix works. */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('page-data').textContent);
  var T = data.t;
  var lang = data.locale;
  var $ = function (id) { return document.getElementById(id); };

  /* ---------- small tools ---------- */

  function t(key, values) {
    var text = T[key] || key;
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return values && values[name] != null ? String(values[name]) : m;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value == null) return;
      if (name === 'text') node.textContent = value;
      else if (name.slice(0, 2) === 'on') node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function show(node, visible) { if (node) node.hidden = !visible; }

  function focusHeading(section) {
    var heading = section.querySelector('h2, h3');
    show(section, true);
    if (heading) {
      heading.focus({ preventScroll: true });
      var still = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;
      section.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'start' });
    }
  }

  // A radio's change must not move the focus (arrow keys would jump away): bring the next step into view only.
  function reveal(section) {
    show(section, true);
    var still = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;
    section.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'nearest' });
  }

  function apiUrl(path) { return new URL(data.root + path, location.href).toString(); }

  function call(method, path, body, headers) {
    var options = { method: method, headers: Object.assign({ Accept: 'application/json' }, headers || {}),
                    credentials: 'omit', cache: 'no-store' };
    if (body) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(apiUrl(path), options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, ok: response.ok, body: json,
                 error: (json && json.error) || null, retryAfter: Number(response.headers.get('Retry-After')) || 0 };
      });
    }, function () {
      return { status: 0, ok: false, body: {}, error: { code: 'network', message: t('network_error') } };
    });
  }

  function query(params) {
    return Object.keys(params).filter(function (k) { return params[k]; }).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
  }

  function store(kind) {
    var area = window[kind];
    return {
      get: function (key) { try { return JSON.parse(area.getItem(key)); } catch (e) { return null; } },
      set: function (key, value) { try { area.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } },
      remove: function (key) { try { area.removeItem(key); } catch (e) { /* private mode */ } }
    };
  }
  var local = store('localStorage');
  var session = store('sessionStorage');

  /* ---------- formatting: the business's time zone, the client's language ---------- */

  function formatter(tz) {
    var cache = {};
    function make(options) {
      var key = JSON.stringify(options);
      return cache[key] || (cache[key] = new Intl.DateTimeFormat(lang, Object.assign({ timeZone: tz }, options)));
    }
    return {
      time: function (iso) { return make({ hour: 'numeric', minute: '2-digit' }).format(new Date(iso)); },
      when: function (iso) {
        return make({ weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' })
          .format(new Date(iso));
      },
      longDay: function (day) {
        return new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' })
          .format(dayDate(day));
      },
      dayParts: function (day) {
        var d = dayDate(day);
        return {
          weekday: new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'short' }).format(d),
          number: new Intl.DateTimeFormat(lang, { timeZone: 'UTC', day: 'numeric' }).format(d),
          month: new Intl.DateTimeFormat(lang, { timeZone: 'UTC', month: 'short' }).format(d)
        };
      },
      today: function () { return new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date()); }
    };
  }

  function money(amount, currency) {
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency: currency }).format(Number(amount));
    } catch (e) { return amount + ' ' + currency; }
  }

  function inTime(seconds) {
    var rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
    return seconds >= 90 ? rtf.format(Math.ceil(seconds / 60), 'minute') : rtf.format(Math.max(seconds, 1), 'second');
  }

  // Calendar days are 'YYYY-MM-DD' strings of the business's calendar; arithmetic on UTC noon.
  function dayDate(day) { var p = day.split('-'); return new Date(Date.UTC(+p[0], p[1] - 1, +p[2], 12)); }
  function addDays(day, n) { var d = dayDate(day); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }

  /* ---------- field errors: next to their field ---------- */

  function fieldError(name, message) {
    var input = $(name), box = $(name + '-error');
    if (!box) return false;
    box.textContent = message || '';
    show(box, !!message);
    if (input) {
      if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    }
    return true;
  }

  function message(box, text, kind) {
    box.textContent = text || '';
    box.className = kind === 'error' ? 'error' : 'notice';
    show(box, !!text);
  }

  function errorText(error) {
    if (!error) return t('generic_error');
    var key = 'error_' + error.code;
    return T[key] ? t(key) : (error.code === 'network' ? t('network_error') : error.message || t('generic_error'));
  }

  /* ---------- calendar file (.ics), built from the booking the API returned ---------- */

  function icsText(value) { return String(value || '').replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/([,;])/g, '\\$1'); }
  function icsTime(iso) { return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''); }
  // RFC 5545 lines are at most 75 octets; fold between characters, never inside one.
  var utf8 = new TextEncoder();
  function fold(line) {
    var out = [], current = '', size = 0;
    Array.from(line).forEach(function (ch) {
      var bytes = utf8.encode(ch).length;
      if (size + bytes > 75) { out.push(current); current = ' '; size = 1; }
      current += ch;
      size += bytes;
    });
    out.push(current);
    return out.join('\r\n');
  }

  function calendarLink(link, booking, manageUrl) {
    // UID matches the invitation in the confirmation email, so calendars keep one entry.
    var lines = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Turno//Booking page//EN', 'METHOD:PUBLISH', 'BEGIN:VEVENT',
      'UID:' + booking.reference + '@turno', 'DTSTAMP:' + icsTime(new Date().toISOString()),
      'DTSTART:' + icsTime(booking.start), 'DTEND:' + icsTime(booking.end),
      'SUMMARY:' + icsText(booking.service_name + ' · ' + booking.business_name),
      'DESCRIPTION:' + icsText(t('reference') + ': ' + booking.reference +
        (booking.staff_name ? '\n' + t('with') + ': ' + booking.staff_name : '') + (manageUrl ? '\n' + manageUrl : '')),
      manageUrl ? 'URL:' + manageUrl : null,
      booking.desk ? 'LOCATION:' + icsText(booking.desk.name + ' · ' + booking.business_name) : null,
      'STATUS:' + (booking.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'),
      'END:VEVENT', 'END:VCALENDAR'
    ].filter(Boolean).map(fold).join('\r\n') + '\r\n';
    if (link.href && link.href.indexOf('blob:') === 0) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([lines], { type: 'text/calendar;charset=utf-8' }));
    link.setAttribute('download', booking.reference + '.ics');
  }

  function detailsList(dl, booking, fmt) {
    dl.textContent = '';
    [['reference', booking.reference], ['service', booking.service_name], ['with', booking.staff_name],
     ['desk', booking.desk && booking.desk.name], ['when', fmt.when(booking.start)], ['price', money(booking.price, booking.currency)]]
      .forEach(function (row) {
        if (!row[1]) return;
        dl.appendChild(el('dt', { text: t(row[0]) }));
        dl.appendChild(el('dd', { text: row[1], 'data-field': row[0] }));
      });
  }

  // What the client may do about a booking, as the server decided it (can_change: its policy, its clock).
  // When they may not change it online, the business's phone is a link to call.
  function policyNote(box, booking, fmt) {
    var open = booking.status === 'pending' || booking.status === 'confirmed';
    var phone = booking.business_phone, values = { business: booking.business_name, phone: phone };
    var text = '';
    if (!open) text = booking.status === 'cancelled' ? t('cancelled_text') : '';
    else if (booking.can_change) text = t('change_until', { when: fmt.when(booking.change_until) });
    else if (!booking.change_until) text = t(phone ? 'changes_off_phone' : 'changes_off', values);
    else text = t(phone ? 'too_late_phone' : 'too_late', values);
    box.textContent = '';
    if (phone && open && !booking.can_change) {
      var parts = text.split(phone);
      box.appendChild(document.createTextNode(parts[0]));
      box.appendChild(el('a', { href: 'tel:' + phone, text: phone }));
      box.appendChild(document.createTextNode(parts.slice(1).join(phone)));
    } else {
      box.textContent = text;
    }
  }

  /* ---------- the day picker and the free times, shared by booking and rescheduling ---------- */

  // Times of a day in three groups, by the business's local hour (the API gives starts with its offset).
  var PERIODS = [['morning', 0, 12], ['afternoon', 12, 18], ['evening', 18, 24]];

  function DayPicker(options) {
    // options: fmt, horizonDays, fetchSlots(from, to) -> Promise<{ok, slots, closed, error}>, onPick(slot)
    var self = this;
    var first = options.fmt.today();
    var last = addDays(first, Math.max(options.horizonDays, 1));  // through the whole N-th day after today, as the API
    var weekStart = first, byDay = {}, closedDays = {}, chosenDay = null, chosenSlot = null, loadSeq = 0;

    function render() {
      var days = $('days');
      days.textContent = '';
      for (var i = 0; i < 7; i++) {
        var day = addDays(weekStart, i);
        if (day > last) break;
        var parts = options.fmt.dayParts(day), count = (byDay[day] || []).length;
        // a closed day (a holiday, the salon's own day off) says so, with its name, instead of "no free times"
        var closed = Object.prototype.hasOwnProperty.call(closedDays, day);
        var why = closed ? (closedDays[day] ? t('closed_named', { name: closedDays[day] }) : t('closed')) : t('no_times');
        days.appendChild(el('button', {
          type: 'button', class: closed ? 'day closed' : 'day', 'data-day': day, 'aria-pressed': String(day === chosenDay),
          'aria-label': options.fmt.longDay(day) + (count ? '' : ' — ' + why), title: closed ? why : null,
          disabled: !count, onclick: pickDay.bind(null, day, true)
        }, [el('span', { text: parts.weekday }), el('strong', { text: parts.number }),
          el('span', { text: closed ? t('closed') : parts.month })]));
      }
      $('prev-week').disabled = weekStart <= first;
      $('next-week').disabled = addDays(weekStart, 7) > last;
      $('week-label').textContent = options.fmt.longDay(weekStart) + ' – ' +
        options.fmt.longDay(addDays(weekStart, 6) > last ? last : addDays(weekStart, 6));
    }

    function slotButton(slot) {
      return el('button', {
        type: 'button', class: 'slot', 'data-start': slot.start, 'aria-pressed': 'false',
        text: options.fmt.time(slot.start),
        onclick: function (event) {
          chosenSlot = slot;
          Array.prototype.forEach.call($('slots').querySelectorAll('button.slot'), function (b) {
            b.setAttribute('aria-pressed', String(b === event.currentTarget));
          });
          options.onPick(slot);
        }
      });
    }

    function pickDay(day, byHand) {
      chosenDay = day;
      chosenSlot = null;
      render();
      var slots = $('slots'), title = $('slots-title');
      slots.textContent = '';
      title.textContent = t('times_on', { day: options.fmt.longDay(day) });
      show(title, true);
      PERIODS.forEach(function (period) {
        var inside = (byDay[day] || []).filter(function (slot) {
          var hour = Number(slot.start.slice(11, 13));
          return hour >= period[1] && hour < period[2];
        });
        if (!inside.length) return;  // an empty group is not shown
        slots.appendChild(el('div', { class: 'period', role: 'group', 'aria-labelledby': 'period-' + period[0] }, [
          el('h4', { id: 'period-' + period[0], text: t(period[0]) }),
          el('div', { class: 'period-slots' }, inside.map(slotButton))
        ]));
      });
      if (byHand) title.focus({ preventScroll: true });
    }

    this.load = function (preferredDay, note) {
      var seq = ++loadSeq, to = addDays(weekStart, 6) > last ? last : addDays(weekStart, 6);
      message($('slots-message'), t('loading'));
      $('slots').textContent = '';
      show($('slots-title'), false);
      $('days').setAttribute('aria-busy', 'true');
      return options.fetchSlots(weekStart, to).then(function (result) {
        if (seq !== loadSeq) return;
        $('days').removeAttribute('aria-busy');
        byDay = {};
        closedDays = {};
        (result.closed || []).forEach(function (c) { closedDays[c.date] = c.name; });
        if (!result.ok) {
          $('slots').textContent = '';
          show($('slots-title'), false);
          message($('slots-message'), errorText(result.error), 'error');
          return;
        }
        result.slots.forEach(function (slot) { (byDay[slot.start.slice(0, 10)] = byDay[slot.start.slice(0, 10)] || []).push(slot); });
        var open = Object.keys(byDay).sort();
        var day = preferredDay && byDay[preferredDay] ? preferredDay : open[0];
        if (day) {
          pickDay(day, false);
          message($('slots-message'), note || '', note ? 'error' : null);
        } else {
          chosenDay = null;
          render();
          $('slots').textContent = '';
          show($('slots-title'), false);
          var more = addDays(weekStart, 7) <= last;
          message($('slots-message'), (note ? note + ' ' : '') + t(more ? 'no_times_week' : 'no_times_at_all'), note ? 'error' : null);
        }
      });
    };

    // Back to the first week, or to the week (as this picker counts weeks from today) holding `day`.
    this.reset = function (day) {
      var ahead = day && day > first ? Math.round((dayDate(day) - dayDate(first)) / 86400000) : 0;
      weekStart = addDays(first, 7 * Math.floor(Math.min(ahead, (dayDate(last) - dayDate(first)) / 86400000) / 7));
      byDay = {}; chosenDay = null; chosenSlot = null;
    };
    this.day = function () { return chosenDay; };
    this.slot = function () { return chosenSlot; };
    $('prev-week').onclick = function () { weekStart = addDays(weekStart, -7); if (weekStart < first) weekStart = first; self.load(); };
    $('next-week').onclick = function () { weekStart = addDays(weekStart, 7); self.load(); };
  }

  /* ---------- the booking page ---------- */

  function bookingPage() {
    var business = data.business;
    var fmt = formatter(business.timezone);
    var slug = business.slug;
    var memoryKey = 'turno:' + slug;
    var codeKey = 'turno:code:' + slug;
    var code = session.get(codeKey) || '';
    var services = {};
    data.services.forEach(function (s) { services[s.id] = s; });
    var offered = Object.assign({}, services);  // what the client's code lets them book
    var state = { service: null, staff: 'any', staffNames: {}, slot: null, idempotencyKey: null };
    var remembered = local.get(memoryKey);

    var picker = new DayPicker({
      fmt: fmt, horizonDays: business.horizon_days,
      fetchSlots: function (from, to) {
        return call('GET', 'public/' + encodeURIComponent(slug) + '/availability?' +
          query({ service: state.service, staff: state.staff, from: from, to: to, code: code }))
          .then(function (r) {
            if (!r.ok && r.error && /code/.test(r.error.code)) lockAgain(r);
            return { ok: r.ok, slots: r.ok ? r.body.slots : [], closed: r.ok ? r.body.closed_days : [], error: r.error };
          });
      },
      onPick: function (slot) {
        state.slot = slot;
        state.idempotencyKey = null;
        var staffName = state.staff === 'any' ? (slot.staff.length === 1 ? state.staffNames[slot.staff[0]] : null) : state.staffNames[state.staff];
        $('summary').textContent = t(staffName ? 'summary_with' : 'summary', {
          service: services[state.service].name, staff: staffName, when: fmt.when(slot.start)
        });
        checkPlan();
        focusHeading($('details-step'));
      }
    });

    /* -- lock screen -- */
    function unlock(event) {
      event.preventDefault();
      var given = $('code').value.trim();
      fieldError('code', '');
      if (!given) { fieldError('code', t('error_required')); $('code').focus(); return; }
      servicesFor(given).then(function (r) {
        if (r.ok) {
          code = given;
          session.set(codeKey, code);
          show($('lock'), false);
          show($('booking'), true);
          startBooking(true);
        } else if (r.status === 429) {
          fieldError('code', t('error_too_many_attempts', { when: inTime(r.retryAfter) }));
          $('code').focus();
        } else {
          fieldError('code', errorText(r.error));
          $('code').select();
          $('code').focus();
        }
      });
    }

    // The services someone the code opens performs: a personal code shows its professional's only.
    function servicesFor(given) {
      return call('GET', 'public/' + encodeURIComponent(slug) + '/services?' + query({ code: given })).then(function (r) {
        if (r.ok) offer(r.body.services);
        return r;
      });
    }

    function offer(list) {
      offered = {};
      list.forEach(function (s) { offered[s.id] = s; });
      Array.prototype.forEach.call(document.querySelectorAll('#service-step fieldset'), function (fieldset) {
        var shown = 0;
        Array.prototype.forEach.call(fieldset.querySelectorAll('input[name=service]'), function (input) {
          var open = !!offered[input.value];
          if (!open && input.checked) input.checked = false;
          show(input.closest('label'), open);
          shown += open ? 1 : 0;
        });
        show(fieldset, shown > 0);
      });
      show($('no-offer'), data.services.length > 0 && !list.length);
      if (state.service && !offered[state.service]) {  // what was being booked is not open to this code
        state.service = null;
        ['staff-step', 'day-step', 'details-step'].forEach(function (id) { show($(id), false); });
      }
    }

    function lockAgain(response) {
      show($('booking'), false);
      show($('lock'), true);
      $('lock-intro').textContent = t(business.requires_code ? 'lock_intro' : 'lock_intro_personal');
      if (response && response.status === 429) fieldError('code', t('error_too_many_attempts', { when: inTime(response.retryAfter) }));
      else if (response && response.error && response.error.code === 'invalid_code') fieldError('code', t('error_invalid_code'));
      $('lock-title').focus();
    }

    $('lock-form').addEventListener('submit', unlock);
    $('lock-back').addEventListener('click', function () {
      show($('lock'), false);
      show($('booking'), true);
      $('have-code').focus();
    });
    $('have-code').addEventListener('click', function () { lockAgain(null); });

    /* -- service and staff -- */
    function chooseService(id, quiet) {
      state.service = id;
      state.slot = null;
      show($('details-step'), false);
      var list = $('staff-list');
      list.textContent = '';
      message($('staff-message'), t('loading'));
      show($('staff-step'), true);
      return call('GET', 'public/' + encodeURIComponent(slug) + '/staff?' + query({ service: id, code: code }))
        .then(function (r) {
          if (state.service !== id) return;
          if (!r.ok) {
            if (r.error && (r.error.code === 'code_required' || r.error.code === 'invalid_code' || r.status === 429)) {
              message($('staff-message'), t('error_code_required'), 'error');
              show($('day-step'), false);
              return;
            }
            message($('staff-message'), errorText(r.error), 'error');
            return;
          }
          message($('staff-message'), '');
          var members = r.body.staff;
          state.staffNames = {};
          members.forEach(function (m) { state.staffNames[m.id] = m.name; });
          var wanted = remembered && remembered.service === id && state.staffNames[remembered.staff] ? remembered.staff : 'any';
          if (state.staff !== 'any' && state.staffNames[state.staff]) wanted = state.staff;
          state.staff = wanted;
          [{ id: 'any', name: t('anyone') }].concat(members).forEach(function (m) {
            list.appendChild(el('label', { class: 'choice' }, [
              el('input', { type: 'radio', name: 'staff', value: m.id, checked: m.id === wanted,
                            onchange: function () { chooseStaff(m.id); } }),
              el('span', { class: 'what', text: m.name })
            ]));
          });
          chooseStaff(wanted, true);
          if (!quiet) reveal($('staff-step'));
        });
    }

    function chooseStaff(id, quiet) {
      state.staff = id;
      state.slot = null;
      show($('details-step'), false);
      show($('day-step'), true);
      picker.reset();
      picker.load();
      waitlist.offer();
      if (!quiet) reveal($('day-step'));
    }

    /* -- "tell me if something frees up": the waiting list, when the business takes requests -- */
    var waitlist = (function () {
      var open = null;  // asked once, when a client first looks for times
      var WL_FIELDS = { 'client.first_name': 'wl-first_name', 'client.email': 'wl-email', 'client.phone': 'wl-phone',
        'windows.0.from': 'wl-from', 'windows.0.to': 'wl-to', 'windows.0.start': 'wl-start', 'windows.0.end': 'wl-end' };
      function clear() { Object.keys(WL_FIELDS).forEach(function (k) { fieldError(WL_FIELDS[k], ''); }); }
      // The form is built from its <template> when first opened: until then the page holds one set of
      // name and contact fields (the booking's), for the client and for assistive technology alike.
      function form() {
        var found = $('waitlist-form');
        if (found) return found;
        $('waitlist-step').insertBefore($('waitlist-template').content.cloneNode(true), $('waitlist-done'));
        found = $('waitlist-form');
        found.addEventListener('submit', submit);
        return found;
      }
      // Other services to have right after the chosen one (one professional, one after the other): the
      // chosen service first, then those ticked, at most MORE_SERVICES of them.
      var MORE_SERVICES = 2;
      function alsoChoices() {
        var box = $('wl-also');
        Array.prototype.slice.call(box.querySelectorAll('label')).forEach(function (l) { l.remove(); });
        Object.keys(offered).filter(function (id) { return id !== state.service; }).forEach(function (id) {
          var input = document.createElement('input'), label = document.createElement('label');
          input.type = 'checkbox'; input.name = 'also'; input.value = id;
          input.addEventListener('change', function () {
            var ticked = box.querySelectorAll('input[name=also]:checked').length;
            Array.prototype.forEach.call(box.querySelectorAll('input[name=also]'), function (other) {
              other.disabled = !other.checked && ticked >= MORE_SERVICES;
            });
          });
          label.className = 'choice';
          label.appendChild(input);
          label.appendChild(document.createTextNode(' ' + offered[id].name));
          box.appendChild(label);
        });
        show(box, box.querySelector('label') !== null);
      }
      $('waitlist-open').addEventListener('click', function () {
        var opened = !$('waitlist-form') || $('waitlist-form').hidden, day = picker.day() || fmt.today();
        var box = form();
        show(box, opened);
        if (opened) alsoChoices();
        $('waitlist-open').setAttribute('aria-expanded', String(opened));
        if (!opened) return;
        if (!$('wl-from').value) $('wl-from').value = day;
        if (!$('wl-to').value) $('wl-to').value = day;
        var known = remembered && remembered.client;
        if (known && !$('wl-first_name').value) {
          $('wl-first_name').value = known.first_name || '';
          $('wl-email').value = known.email || '';
          $('wl-phone').value = known.phone || '';
        }
        $('wl-first_name').focus();
      });
      function submit(event) {
        event.preventDefault();
        clear();
        message($('waitlist-message'), '');
        var v = function (id) { return $(id).value.trim() || null; };
        var also = Array.prototype.map.call(document.querySelectorAll('#wl-also input[name=also]:checked'),
          function (input) { return input.value; });
        var body = { services: [state.service].concat(also), staff: state.staff,
          client: { first_name: v('wl-first_name'), email: v('wl-email'), phone: v('wl-phone') },
          windows: [{ from: v('wl-from'), to: v('wl-to'), start: v('wl-start'), end: v('wl-end') }] };
        call('POST', 'public/' + encodeURIComponent(slug) + '/waitlist', body).then(function (r) {
          if (r.ok) {
            $('waitlist-form').remove();  // its fields go with it (see above)
            show($('waitlist-open'), false);
            message($('waitlist-done'), t('waitlist_done'));
            $('waitlist-done').setAttribute('tabindex', '-1');
            $('waitlist-done').focus();
            return;
          }
          if (!(r.error && r.error.field && WL_FIELDS[r.error.field] && fieldError(WL_FIELDS[r.error.field], errorText(r.error)))) {
            message($('waitlist-message'), errorText(r.error), 'error');
          }
        });
      }
      return {
        offer: function () {
          if (open === false) return;
          var shown = function () {
            show($('waitlist-step'), true);
            show($('waitlist-open'), true);
            show($('waitlist-done'), false);
          };
          if (open) { shown(); return; }
          call('GET', 'public/' + encodeURIComponent(slug) + '/waitlist').then(function (r) {
            open = !!(r.ok && r.body.open);
            if (open) shown();
          });
        }
      };
    })();

    Array.prototype.forEach.call(document.querySelectorAll('input[name=service]'), function (input) {
      input.addEventListener('change', function () { state.staff = 'any'; chooseService(input.value); });
    });

    /* -- details and booking -- */
    var fields = ['first_name', 'last_name', 'email', 'phone', 'notes'];
    fields.forEach(function (name) {
      $(name).addEventListener('input', function () {
        state.idempotencyKey = null;  // another body needs another key (a reused one is refused)
        fieldError(name, '');
        if (name === 'phone') fieldError('email', '');  // "email or phone" is shown at the email
      });
    });

    function fillRemembered() {
      if (!remembered || !remembered.client) return;
      fields.forEach(function (name) { if (name !== 'notes' && remembered.client[name]) $(name).value = remembered.client[name]; });
      $('welcome-text').textContent = t('welcome_back', { name: remembered.client.first_name });
      show($('welcome'), true);
    }

    $('forget').addEventListener('click', function () {
      local.remove(memoryKey);
      remembered = null;
      fields.forEach(function (name) { $(name).value = ''; });
      show($('welcome'), false);
      $('service-title').focus();
    });

    function validate(client) {
      var firstBad = null;
      fields.forEach(function (name) { fieldError(name, ''); });
      function bad(name, text) { fieldError(name, text); firstBad = firstBad || name; }
      if (!client.first_name) bad('first_name', t('error_required'));
      if (!client.last_name) bad('last_name', t('error_required'));
      if (!client.email && !client.phone) bad('email', t('error_contact_needed'));
      if (client.email && !$('email').checkValidity()) bad('email', t('error_invalid_email'));
      if (client.phone && !/^(\+|00)[\d\s().-]{6,}$/.test(client.phone)) bad('phone', t('error_invalid_phone'));
      if (firstBad) $(firstBad).focus();
      return !firstBad;
    }

    /* -- plans: what the client's plan covers, shown before they confirm -- */
    var PLAN_TEXTS = {
      1: ['plan_case1_salon', 'plan_case1_online'],
      2: ['plan_case2_salon', 'plan_case2_online'],
      3: ['plan_case3_salon', 'plan_case3_online']
    };
    var planShown = null;  // service, time and contact of the answer on screen

    function contact() { return { email: $('email').value.trim(), phone: $('phone').value.trim() }; }
    function planKey(who) { return [state.service, state.slot ? state.slot.start : '', who.email, who.phone].join('|'); }

    function checkPlan() {
      var who = contact(), key = planKey(who);
      if (!business.plans || !state.slot || (!who.email && !who.phone)) { showPlan(null); planShown = key; return Promise.resolve(null); }
      var client = {};
      if (who.email) client.email = who.email;
      if (who.phone) client.phone = who.phone;
      return call('POST', 'public/' + encodeURIComponent(slug) + '/plan-coverage',
                  { services: [state.service], start: state.slot.start, client: client })
        .then(function (r) {
          if (planKey(contact()) !== key) return null;  // typed on meanwhile: a newer answer follows
          planShown = key;
          showPlan(r.ok ? r.body : null);
          return r.ok ? r.body : null;
        });
    }

    function showPlan(answer) {
      var box = $('plan-note');
      if (!answer || !answer.case) { box.textContent = ''; box.removeAttribute('data-case'); show(box, false); return; }
      var names = function (ids) { return ids.map(function (id) { return (services[id] || {}).name || id; }).join(', '); };
      var first = answer.covered[0];
      var plan = first ? answer.plans.filter(function (p) { return p.id === first.plan; })[0] : answer.plans[0];
      var text = t(PLAN_TEXTS[answer.case][answer.online_payment ? 1 : 0], {
        plan: plan.name, left: first ? first.left : 0,
        covered: names(answer.covered.map(function (c) { return c.service; })), uncovered: names(answer.uncovered)
      });
      box.textContent = answer.duplicate_client ? text + ' ' + t('plan_duplicate') : text;
      box.setAttribute('data-case', String(answer.case));
      show(box, true);
    }

    ['email', 'phone'].forEach(function (name) { $(name).addEventListener('change', function () { checkPlan(); }); });

    $('details').addEventListener('submit', function (event) {
      event.preventDefault();
      if (!state.slot) { focusHeading($('day-step')); return; }
      var client = {};
      fields.forEach(function (name) { client[name] = $(name).value.trim(); });
      message($('form-error'), '');
      if (!validate(client)) return;
      if (business.plans && planShown !== planKey(contact())) {
        // The plan's message comes first: the client reads it, then confirms (or not).
        return checkPlan().then(function (answer) { if (!answer || !answer.case) send(client); else $('plan-note').focus(); });
      }
      send(client);
    });

    function send(client) {
      Object.keys(client).forEach(function (k) { if (!client[k]) delete client[k]; });
      // One key per attempt at this slot: a retry after a lost response books once.
      state.idempotencyKey = state.idempotencyKey || (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
      var button = $('confirm');
      button.disabled = true;
      button.textContent = t('booking_in_progress');
      var body = { service: state.service, staff: state.staff, start: state.slot.start, client: client };
      if (code) body.code = code;
      // unticked by default; the server records the words shown, in the page's language
      if ($('marketing_email').checked || $('marketing_sms').checked) {
        body.marketing = { email: $('marketing_email').checked, sms: $('marketing_sms').checked,
                           language: document.documentElement.lang || 'en' };
      }
      call('POST', 'public/' + encodeURIComponent(slug) + '/bookings', body, { 'Idempotency-Key': state.idempotencyKey })
        .then(function (r) {
          button.disabled = false;
          button.textContent = t('confirm_booking');
          if (r.ok) return booked(r.body, client);
          var error = r.error || {};
          if (error.code !== 'network') state.idempotencyKey = null;
          if (error.code === 'plan_used_up') {
            // The plan's unit went to another booking a moment ago: show what it covers now.
            message($('form-error'), t('error_plan_used_up'), 'error');
            return checkPlan();
          }
          if (r.status === 409 || (error.field === 'start')) {
            // Someone else got it first: say so where the times are, with fresh times.
            state.slot = null;
            show($('details-step'), false);
            focusHeading($('day-step'));
            return picker.load(picker.day(), t(r.status === 409 ? 'error_slot_taken' : 'error_time_gone'));
          }
          if (error.code && /code/.test(error.code)) return lockAgain(r);
          var field = (error.field || '').replace(/^client\./, '');
          if (fields.indexOf(field) >= 0) {
            fieldError(field, errorText(error));
            $(field).focus();
          } else {
            message($('form-error'), errorText(error), 'error');
          }
        });
    }

    function booked(booking, client) {
      if ($('remember').checked) {
        local.set(memoryKey, { client: { first_name: client.first_name, last_name: client.last_name,
          email: client.email || '', phone: client.phone || '' }, service: state.service, staff: state.staff });
      } else {
        local.remove(memoryKey);
      }
      remembered = local.get(memoryKey);
      var manageUrl = new URL(encodeURIComponent(slug) + '/manage/' + encodeURIComponent(booking.reference) +
        '?' + query({ token: booking.manage_token }), location.href).toString();
      ['service-step', 'staff-step', 'day-step', 'details-step', 'welcome', 'waitlist-step'].forEach(function (id) { show($(id), false); });
      $('done-title').textContent = t(booking.status === 'pending' ? 'pending_title' : 'booked_title');
      $('done-text').textContent = t(booking.status === 'pending' ? 'pending_text' : 'booked_text', { business: booking.business_name });
      detailsList($('done-details'), booking, fmt);
      $('done-plan').textContent = booking.covered_by_plan ? t('plan_used') : '';
      show($('done-plan'), !!booking.covered_by_plan);
      calendarLink($('ics'), booking, manageUrl);
      $('manage-link').href = manageUrl;
      // "Change or cancel" and "keep the link" only where the business's policy lets the client do it.
      show($('manage-link'), booking.can_change);
      show($('manage-hint'), booking.can_change);
      policyNote($('done-policy'), booking, fmt);
      show($('done-policy'), !booking.can_change);
      focusHeading($('done'));
    }

    $('book-another').addEventListener('click', function () {
      show($('done'), false);
      show($('service-step'), true);
      startBooking(false);
      $('service-title').focus();
    });

    function startBooking(afterUnlock) {
      fillRemembered();
      var checked = document.querySelector('input[name=service]:checked');
      var preselect = checked ? checked.value : (remembered && offered[remembered.service] ? remembered.service : null);
      if (preselect) {
        var input = document.querySelector('input[name=service][value="' + preselect + '"]');
        if (input) { input.checked = true; state.staff = remembered && remembered.service === preselect ? remembered.staff : 'any'; chooseService(preselect, true); }
      }
      if (afterUnlock) $('service-title').focus();
    }

    function openBooking() {
      show($('lock'), false);
      show($('booking'), true);
      startBooking(false);
    }

    if (code) {
      // A code kept from earlier in the visit: list what it opens (or ask again if it no longer works).
      servicesFor(code).then(function (r) { if (r.ok || r.status === 0) openBooking(); else lockAgain(r); });
    } else if (!business.requires_code) {
      openBooking();
    }
  }

  /* ---------- the manage page ---------- */

  function managePage() {
    var booking = data.booking;
    var fmt = formatter(booking.timezone);
    var token = data.token;
    var path = 'public/bookings/' + encodeURIComponent(booking.reference);
    var code = session.get('turno:code:' + booking.business) || '';
    var chosen = null;

    function render() {
      var status = booking.status;
      $('manage-status').textContent = t('status_' + status) !== 'status_' + status ? t('status_' + status) : status;
      $('manage-status').setAttribute('data-status', status);
      detailsList($('manage-details'), booking, fmt);
      calendarLink($('ics'), booking, location.href);
      show($('ics').parentNode, status !== 'cancelled');
      var canChange = !!booking.can_change;
      policyNote($('manage-policy'), booking, fmt);
      show($('manage-actions'), canChange);
      show($('cancel-confirm'), false);
      if (!canChange) { show($('day-step'), false); show($('move-step'), false); }
    }

    function failed(r, box) {
      var error = r.error || {};
      message(box, errorText(error), 'error');
      if (error.code === 'too_late_to_change' || error.code === 'booking_closed' || error.code === 'online_changes_off') {
        call('GET', path + '?' + query({ token: token })).then(function (fresh) { if (fresh.ok) { booking = fresh.body; render(); } });
      }
    }

    $('cancel-open').addEventListener('click', function () {
      show($('cancel-confirm'), true);
      $('cancel-yes').focus();
    });
    $('cancel-no').addEventListener('click', function () { show($('cancel-confirm'), false); $('cancel-open').focus(); });
    $('cancel-yes').addEventListener('click', function () {
      $('cancel-yes').disabled = true;
      call('POST', path + '/cancel', { token: token }).then(function (r) {
        $('cancel-yes').disabled = false;
        if (!r.ok) return failed(r, $('manage-error'));
        booking = r.body;
        message($('manage-error'), '');
        render();
        $('manage-title').focus();
      });
    });

    var picker = new DayPicker({
      fmt: fmt, horizonDays: 366,
      fetchSlots: function (from, to) {
        return call('GET', 'public/' + encodeURIComponent(booking.business) + '/availability?' +
          query({ service: booking.service, staff: booking.staff, from: from, to: to, code: code }))
          .then(function (r) { return { ok: r.ok, slots: r.ok ? r.body.slots : [], closed: r.ok ? r.body.closed_days : [], error: r.error }; });
      },
      onPick: function (slot) {
        chosen = slot;
        $('move-summary').textContent = t('move_to', { when: fmt.when(slot.start), old: fmt.when(booking.start) });
        message($('move-error'), '');
        focusHeading($('move-step'));
      }
    });

    $('reschedule-open').addEventListener('click', function () {
      var day = booking.start.slice(0, 10);  // the booking's own day, in the business's calendar
      picker.reset(day);
      picker.load(day);
      focusHeading($('day-step'));
    });

    $('move-yes').addEventListener('click', function () {
      if (!chosen) return;
      $('move-yes').disabled = true;
      call('POST', path + '/reschedule', { token: token, start: chosen.start }).then(function (r) {
        $('move-yes').disabled = false;
        if (!r.ok) {
          if (r.status === 409 && r.error && r.error.code === 'slot_unavailable') {
            show($('move-step'), false);
            focusHeading($('day-step'));
            return picker.load(picker.day(), t('error_slot_taken'));
          }
          return failed(r, $('move-error'));
        }
        booking = r.body;
        chosen = null;
        show($('day-step'), false);
        show($('move-step'), false);
        render();
        message($('manage-error'), t('moved_text', { when: fmt.when(booking.start) }));
        $('manage-title').focus();
      });
    });

    render();
  }

  if (data.page === 'book') bookingPage();
  else if (data.page === 'manage') managePage();
})();

/* The sign-up form (templates/pages/signup/page.html): the address checked as typed, the sign-up sent to
   the public API, errors shown next to their field. No dependencies, no build step. */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('page-data').textContent);
  var api = data.root + 'public/';
  var FIELDS = ['business_name', 'slug', 'timezone', 'locale', 'currency', 'owner_name', 'email'];
  // The API's error codes -> the texts that say them.
  var MESSAGES = {
    slug_taken: 'signup_slug_taken', slug_reserved: 'signup_slug_reserved', slug_invalid: 'signup_slug_invalid',
    required: 'signup_error_required', too_long: 'signup_error_too_long',
    invalid_email: 'signup_error_invalid_email', email_taken: 'signup_error_email_taken',
    email_not_sent: 'signup_error_email_not_sent'
  };

  function $(id) { return document.getElementById(id); }

  function t(key, values) {
    var text = data.t[key] || data.t.signup_error_generic;
    Object.keys(values || {}).forEach(function (name) { text = text.replace('{' + name + '}', values[name]); });
    return text;
  }

  function pageUrl(slug) { return new URL(data.root + 'b/' + slug, location.href).href; }

  function showError(field, message) {
    var note = $(field + '-error');
    note.textContent = message;
    note.hidden = false;
    $(field).setAttribute('aria-invalid', 'true');
  }

  function clearError(field) {
    $(field + '-error').hidden = true;
    $(field).removeAttribute('aria-invalid');
  }

  // The browser knows where the salon is: start from its time zone when the list has it.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var zones = $('timezone');
    if (zone && Array.prototype.some.call(zones.options, function (o) { return o.value === zone; })) {
      zones.value = zone;
    }
  } catch (ignored) { /* an old browser: the server's starting point stays */ }

  // -- the address, suggested from the name until the owner types one, checked as typed ----------------
  var slug = $('slug');
  var slugStatus = $('slug-status');
  var slugTyped = false;
  var timer = null;
  var asked = 0;

  function suggestion(name) {
    return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 40).replace(/-+$/, '');
  }

  function checkSoon() {
    clearTimeout(timer);
    clearError('slug');
    slugStatus.textContent = '';
    if (slug.value) { timer = setTimeout(check, 300); }
  }

  function check() {
    var mine = ++asked;
    slugStatus.textContent = t('signup_slug_checking');
    fetch(api + 'slugs/' + encodeURIComponent(slug.value.trim()), { headers: { Accept: 'application/json' } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (mine !== asked) { return; }  // the owner has typed on meanwhile
        slugStatus.textContent = answer.available ? t('signup_slug_available', { url: pageUrl(answer.slug) }) : '';
        if (!answer.available) { showError('slug', t('signup_slug_' + answer.reason)); }
      })
      .catch(function () { if (mine === asked) { slugStatus.textContent = ''; } });
  }

  $('business_name').addEventListener('input', function () {
    if (!slugTyped) {
      slug.value = suggestion(this.value);
      checkSoon();
    }
  });
  slug.addEventListener('input', function () {
    slugTyped = slug.value !== '';
    var lower = slug.value.toLowerCase();
    if (lower !== slug.value) { slug.value = lower; }
    checkSoon();
  });

  // -- the sign-up -----------------------------------------------------------------------------------
  var form = $('signup-form');
  var button = $('signup-submit');
  var formError = $('form-error');

  function generalError(message) {
    formError.textContent = message;
    formError.hidden = false;
    formError.focus();
  }

  function refused(status, error, retryAfter) {
    if (status === 429) {
      return generalError(t('signup_error_too_many', { minutes: Math.ceil((Number(retryAfter) || 60) / 60) }));
    }
    if (error && FIELDS.indexOf(error.field) >= 0) {
      showError(error.field, t(MESSAGES[error.code] || 'signup_error_invalid'));
      return $(error.field).focus();
    }
    generalError(t('signup_error_generic'));
  }

  function done(answer) {
    form.hidden = true;
    $('signup-done').hidden = false;
    $('done-text').textContent = t('signup_done_text', { email: answer.owner.email });
    var link = document.createElement('a');
    link.href = link.textContent = pageUrl(answer.business.slug);
    var around = t('signup_done_page').split('{url}');
    $('done-page').replaceChildren(around[0], link, around[1] || '');
    $('done-title').focus();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    FIELDS.forEach(clearError);
    formError.hidden = true;
    var body = {};
    FIELDS.forEach(function (field) { body[field] = form.elements[field].value.trim(); });
    var missing = FIELDS.filter(function (field) { return !body[field]; });
    if (missing.length) {
      missing.forEach(function (field) { showError(field, t('signup_error_required')); });
      return $(missing[0]).focus();
    }
    button.disabled = true;
    button.textContent = t('signup_sending');
    fetch(api + 'signup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (response.status === 201) { return done(answer); }
          refused(response.status, answer.error, response.headers.get('Retry-After'));
        });
      })
      .catch(function () { generalError(t('signup_error_generic')); })
      .then(function () {
        button.disabled = false;
        button.textContent = t('signup_submit');
      });
  });
}());

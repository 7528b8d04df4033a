// The pre-chat form (fields chosen by the site, a required consent checkbox with the site's
// privacy text) and the offline form (name, e-mail, message, consent) shown instead of a handoff
// when nobody can answer. Built with DOM APIs; labels carry data-i18n keys for setLocale().

import { h } from '../dom.js';
import { safeUrl, localized } from './settings.js';

const INPUT_TYPES = { name: 'text', email: 'email', phone: 'tel' };
const AUTOCOMPLETE = { name: 'name', email: 'email', phone: 'tel' };
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function tx(t, key) {
  return { 'data-i18n': key, text: t(key) };
}

/** The consent checkbox with the site's privacy text (and its link, if an http(s) URL). */
function consentEl(t, settings, locale, id) {
  const box = h('input', { type: 'checkbox', id, testid: 'consent', required: true, 'aria-describedby': `${id}-text` });
  const url = safeUrl(settings?.privacy?.url);
  return h('div', { class: 'consent' },
    h('p', { class: 'privacy', id: `${id}-text`, testid: 'privacy-text' },
      localized(settings?.privacy, locale) ?? ''),
    url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', ...tx(t, 'form.privacyLink') }) : null,
    h('label', { class: 'check' }, box, h('span', tx(t, 'form.consent'))));
}

function field(t, id, required, formId) {
  const inputId = `${formId}-${id}`;
  const input = id === 'message'
    ? h('textarea', { id: inputId, name: id, rows: '3', maxlength: '4000', required, testid: `form-${id}` })
    : h('input', {
      id: inputId, name: id, type: INPUT_TYPES[id] ?? 'text', autocomplete: AUTOCOMPLETE[id] ?? 'off',
      maxlength: id === 'email' ? '254' : '100', required, testid: `form-${id}`,
    });
  return h('div', { class: 'field' },
    h('label', { for: inputId }, h('span', tx(t, `form.${id}`)),
      required ? h('span', { class: 'req', ...tx(t, 'form.required') }) : null),
    input);
}

/**
 * Reads and checks a form: the values by field id, or null after marking what is wrong
 * (aria-invalid, and the error line, which is a live alert).
 */
function collect(form, error, t) {
  let ok = true;
  const values = {};
  for (const el of form.querySelectorAll('input:not([type=checkbox]), textarea')) {
    const value = el.value.trim();
    const bad = (el.required && !value) || (el.type === 'email' && value && !EMAIL.test(value));
    el.setAttribute('aria-invalid', String(bad));
    if (bad) ok = false;
    values[el.name] = value;
  }
  const consent = form.querySelector('[data-testid="consent"]');
  consent.setAttribute('aria-invalid', String(!consent.checked));
  if (!consent.checked) ok = false;
  error.hidden = ok;
  if (!ok) {
    const key = values.email && !EMAIL.test(values.email) ? 'form.badEmail' : 'form.missing';
    error.dataset.i18n = key;
    error.textContent = t(key);
    form.querySelector('[aria-invalid="true"]')?.focus();
    return null;
  }
  return values;
}

/** The pre-chat form; `onSubmit(values)` gets {name?, email?, phone?} once valid and consented. */
export function prechatForm({ t, settings, locale, onSubmit }) {
  const fields = (settings?.prechat?.fields ?? []).filter((f) => INPUT_TYPES[f.id]);
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true });
  const form = h('form', {
    class: 'form', testid: 'prechat', novalidate: true, 'aria-labelledby': 'sodam-prechat-title',
    onsubmit: (e) => {
      e.preventDefault();
      const values = collect(form, error, t);
      if (values) onSubmit(values);
    },
  },
  h('h3', { id: 'sodam-prechat-title', ...tx(t, 'prechat.title') }),
  fields.map((f) => field(t, f.id, Boolean(f.required), 'sodam-prechat')),
  consentEl(t, settings, locale, 'sodam-prechat-consent'),
  error,
  h('button', { class: 'chip chip--submit', type: 'submit', testid: 'prechat-submit', ...tx(t, 'prechat.start') }));
  return form;
}

/** The offline form; `onSubmit({name, email, message})`, `onCancel()`. */
export function offlineForm({ t, settings, locale, onSubmit, onCancel }) {
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true });
  const form = h('form', {
    class: 'form', testid: 'offline-form', novalidate: true, 'aria-labelledby': 'sodam-offline-title',
    onsubmit: (e) => {
      e.preventDefault();
      const values = collect(form, error, t);
      if (values) onSubmit(values);
    },
  },
  h('h3', { id: 'sodam-offline-title', ...tx(t, 'offline.title') }),
  h('p', tx(t, 'offline.intro')),
  field(t, 'name', false, 'sodam-offline'),
  field(t, 'email', true, 'sodam-offline'),
  field(t, 'message', true, 'sodam-offline'),
  consentEl(t, settings, locale, 'sodam-offline-consent'),
  error,
  h('div', { class: 'form-actions' },
    h('button', { class: 'chip', type: 'button', testid: 'offline-cancel', onclick: onCancel, ...tx(t, 'form.cancel') }),
    h('button', { class: 'chip chip--submit', type: 'submit', testid: 'offline-submit', ...tx(t, 'offline.send') })));
  return form;
}

// The invite / password-reset page: POST /api/account/password with the link's one-time token.
// The token lives in the URL fragment and is removed from the address bar once read.

import { pickLocale, staffLanguage } from '/js/i18n.js';
import { accessTranslator } from './access-strings.js';
import { refusalText } from './refusals.js';
import { linkToken } from './access-model.js';

const locale = pickLocale(document, staffLanguage(location.search, globalThis.localStorage));
const t = accessTranslator(locale);
const tid = (id) => document.querySelector(`[data-testid="${id}"]`);
const token = linkToken(location.hash);
history.replaceState(null, '', location.pathname);

document.title = t('password.title');
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);

function error(text) {
  tid('password-error').textContent = text;
  tid('password-error').hidden = !text;
}

if (!token) error(t('password.noToken'));

document.querySelector('#password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = tid('password-new').value;
  if (password !== tid('password-repeat').value) return error(t('password.mismatch'));
  tid('password-submit').disabled = true;
  let res;
  let body = null;
  try {
    res = await fetch('/api/account/password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token, password }),
    });
    body = await res.json().catch(() => null);
  } catch {
    res = { ok: false };
  }
  tid('password-submit').disabled = false;
  if (!res.ok) return error(refusalText(body, locale, 'network error'));
  error('');
  document.querySelector('#password-form').hidden = true;
  tid('password-done-text').textContent = t('password.done', { name: body.user.name });
  tid('password-done').hidden = false;
  return undefined;
});

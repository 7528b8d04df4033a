// Sodam admin page, served by the Sodam server at /admin: FAQ management, history and restore,
// the bot's rebuild status and a box to test the bot. Every FAQ text is rendered with
// textContent (see /js/dom.js): an answer that looks like HTML stays text.

import { pickLocale, staffLanguage } from '/js/i18n.js';
import { h } from '/js/dom.js';
import { answerNodes } from '/js/format.js';
import { loginSession, logOutSession, requestLogin, revokeToken, showLoginView } from '/js/login.js';
import { adminTranslator } from './strings.js';
import { refusalText } from './refusals.js';
import { faqBody, formValues, listQuery, clock, botStatusView, askView, bandView, whatIfBody, whatIfView, deliveryView } from './model.js';
import { mountTransfer } from './transfer.js';
import { mountGaps } from './gaps.js';
import { mountDashboard } from './dashboard.js';

const locale = pickLocale(document, staffLanguage(location.search, globalThis.localStorage));
const t = adminTranslator(locale);
const session = loginSession('sodam:admin');
const SEARCH_DELAY_MS = 250;

const $ = (selector) => document.querySelector(selector);
const tid = (id) => $(`[data-testid="${id}"]`);
const ui = {
  loginView: $('#login-view'),
  loginForm: $('#login-form'),
  email: tid('admin-login-email'),
  password: tid('admin-login-password'),
  loginError: tid('admin-login-error'),
  loginSubmit: tid('admin-login-submit'),
  appView: $('#app-view'),
  me: tid('admin-name'),
  logout: $('#logout'),
  status: $('#bot-status-text'),
  progress: $('#bot-progress'),
  rebuild: $('#rebuild'),
  search: tid('faq-search'),
  filterLocale: tid('faq-filter-locale'),
  filterTag: tid('faq-filter-tag'),
  filterTeam: tid('faq-filter-team'),
  team: tid('faq-team'),
  translation: tid('faq-translation'),
  translationView: tid('faq-translation-view'),
  newButton: tid('faq-new'),
  count: $('#faq-count'),
  list: tid('faq-list'),
  form: $('#faq-form'),
  formTitle: $('#form-title'),
  formMeta: $('#form-meta'),
  question: tid('faq-question'),
  paraphrases: tid('faq-paraphrases'),
  answer: tid('faq-answer'),
  answerPreview: tid('faq-answer-preview'),
  tags: tid('faq-tags'),
  locale: tid('faq-locale'),
  enabled: tid('faq-enabled'),
  formError: tid('faq-error'),
  save: tid('faq-save'),
  del: tid('faq-delete'),
  historyCard: $('#history-card'),
  history: tid('faq-history'),
  askForm: $('#ask-form'),
  askInput: tid('ask-input'),
  askLocale: tid('ask-locale'),
  askResult: tid('ask-result'),
  whatIfForm: $('#whatif-form'),
  whatIfLocale: tid('whatif-locale'),
  whatIfAnswer: tid('whatif-answer'),
  whatIfClarify: tid('whatif-clarify'),
  whatIfError: tid('whatif-error'),
  whatIfResult: tid('whatif-result'),
  whatIfSave: tid('whatif-save'),
  whatIfReset: tid('whatif-reset'),
  toast: $('#toast'),
};

const S = { token: null, editing: null, statusTimer: null, searchTimer: null, toastTimer: null, views: {}, status: null, saved: null, previewed: null };

/** Shows one view (faq, gaps, dashboard); a report view loads its figures when opened by its tab. */
function show(name, load = false) {
  for (const tab of document.querySelectorAll('.tab')) tab.setAttribute('aria-pressed', String(tab.dataset.view === name));
  for (const el of document.querySelectorAll('[data-view-name]')) el.hidden = el.dataset.viewName !== name;
  if (load && S.views[name]) S.views[name].load();
}

/**
 * An API refusal: {status, code, message} from the server's JSON error; the message is in the page's
 * language when the error has a reason this page knows (refusals.js), else the server's own.
 */
class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// ---- boot -----------------------------------------------------------------------------------

function applyStaticLabels() {
  document.documentElement.lang = locale;
  document.title = t('admin.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
}

function boot() {
  applyStaticLabels();
  ui.loginForm.addEventListener('submit', onLogin);
  ui.logout.addEventListener('click', signOut);
  ui.newButton.addEventListener('click', () => edit(null));
  ui.form.addEventListener('submit', onSave);
  ui.answer.addEventListener('input', showAnswerPreview);
  ui.del.addEventListener('click', onDelete);
  ui.askForm.addEventListener('submit', onAsk);
  ui.whatIfForm.addEventListener('submit', onWhatIf);
  ui.whatIfLocale.addEventListener('change', () => fillThresholds(true));
  for (const input of [ui.whatIfAnswer, ui.whatIfClarify]) input.addEventListener('input', () => { ui.whatIfSave.disabled = true; });
  ui.whatIfSave.addEventListener('click', onSaveThresholds);
  ui.whatIfReset.addEventListener('click', onResetThresholds);
  ui.rebuild.addEventListener('click', () => api('POST', '/api/admin/bot/rebuild').then(showStatus, showFailure));
  const refilter = () => {
    clearTimeout(S.searchTimer);
    S.searchTimer = setTimeout(loadList, SEARCH_DELAY_MS);
  };
  ui.search.addEventListener('input', refilter);
  ui.filterTag.addEventListener('input', refilter);
  ui.filterLocale.addEventListener('change', loadList);
  ui.filterTeam.addEventListener('change', loadList);
  const files = mountTransfer({
    locale, token: () => S.token, t, toast,
    onImported: () => { loadList(); pollStatus(); },
    onAuthFailure: (status) => logout(status === 401 ? t('admin.login.expired') : t('admin.login.notAdmin')),
  });
  S.views.gaps = mountGaps({ api, t, toast, locale, openEntry: (id) => { show('faq'); loadList(); open(id); } });
  S.views.dashboard = mountDashboard({ api, t, locale, download: files.download });
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view, true));
  const token = session.token();
  if (token) start(token, session.user());
  else showLogin();
}

// ---- login ----------------------------------------------------------------------------------

function showLogin(message = '') {
  showLoginView(ui, message);
}

async function onLogin(event) {
  event.preventDefault();
  ui.loginError.hidden = true;
  ui.loginSubmit.disabled = true;
  const result = await requestLogin(ui.email.value, ui.password.value);
  if (!result.ok) {
    if (result.status === 0) return showLogin(t('admin.login.network'));
    return showLogin(result.status === 401 ? t('admin.login.failed') : result.message || t('admin.error.generic'));
  }
  // The server refuses agents on every admin endpoint anyway; say so here instead of failing later.
  if (result.user?.role !== 'admin') {
    // Not kept by this page, so revoked at once: it would otherwise stay valid for hours, unused.
    revokeToken(result.token);
    return showLogin(t('admin.login.notAdmin'));
  }
  session.save(result.token, result.user);
  ui.password.value = '';
  return start(result.token, result.user);
}

/** The 로그아웃 button: the token is revoked on the server before the page forgets it. */
async function signOut() {
  ui.logout.disabled = true;
  await logOutSession(session);
  ui.logout.disabled = false;
  logout();
}

/** Back to the login form, e.g. when the server refused the token (nothing left to revoke). */
function logout(message = '') {
  clearTimeout(S.statusTimer);
  session.clear();
  S.token = null;
  S.editing = null;
  ui.list.replaceChildren();
  showLogin(message);
}

function start(token, user) {
  S.token = token;
  ui.loginView.hidden = true;
  ui.appView.hidden = false;
  ui.me.textContent = user?.name ?? '';
  if (user?.siteId) return startSiteAdmin(user.siteId);
  edit(null);
  loadList();
  pollStatus();
  loadWebhooks();
  loadSavedThresholds();
  loadTeams();
}

/**
 * An admin of one site reads that site's gap report and dashboard and nothing installation-wide
 * (the FAQ, the bot, teams, webhooks answer them 403): those parts are hidden, the site is fixed,
 * and drafting FAQ entries from gaps is left to installation admins.
 */
function startSiteAdmin(siteId) {
  document.body.dataset.siteAdmin = siteId;
  for (const el of document.querySelectorAll('[data-installation-only]')) el.hidden = true;
  const site = tid('dash-site');
  site.value = siteId;
  site.readOnly = true;
  show('dashboard', true);
}

/** The teams for the list filter and the editor's team choice. */
async function loadTeams() {
  let teams = [];
  try {
    ({ teams } = await api('GET', '/api/admin/teams'));
  } catch {
    return;
  }
  const name = (team) => team.name?.[locale] ?? team.name?.ko ?? team.id;
  for (const select of [ui.filterTeam, ui.team]) {
    const chosen = select.value;
    select.replaceChildren(select.options[0], ...teams.map((team) => h('option', { value: team.id, text: name(team) })));
    select.value = chosen;
  }
  if (S.editing?.team) ui.team.value = S.editing.team;
}

// ---- API ------------------------------------------------------------------------------------

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${S.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (res.status === 401 || res.status === 403) {
    logout(res.status === 401 ? t('admin.login.expired') : t('admin.login.notAdmin'));
  }
  if (!res.ok) throw new ApiError(res.status, json?.code ?? 'internal', refusalText(json, locale, t('admin.error.generic')));
  return json;
}

function showFailure(error) {
  toast(error instanceof ApiError ? error.message : t('admin.error.generic'));
}

function toast(text) {
  ui.toast.textContent = text;
  ui.toast.hidden = false;
  clearTimeout(S.toastTimer);
  S.toastTimer = setTimeout(() => { ui.toast.hidden = true; }, 4000);
}

// ---- list -----------------------------------------------------------------------------------

async function loadList() {
  if (!S.token) return;
  let result;
  try {
    result = await api('GET', `/api/admin/faq${listQuery({ q: ui.search.value, locale: ui.filterLocale.value, tag: ui.filterTag.value, team: ui.filterTeam.value })}`);
  } catch (error) {
    return showFailure(error);
  }
  ui.count.textContent = t('admin.faq.count', { n: result.total });
  ui.list.replaceChildren(...result.entries.map(row));
}

function row(entry) {
  const selected = S.editing?.id === entry.id;
  return h('li', {
    class: `faq-row${entry.enabled ? '' : ' faq-row--disabled'}${selected ? ' faq-row--selected' : ''}`,
    testid: 'faq-row',
    dataset: { faqId: entry.id },
    tabindex: '0',
    role: 'button',
    onclick: () => open(entry.id),
    onkeydown: (e) => { if (e.key === 'Enter') open(entry.id); },
  },
  h('span', { class: 'faq-row__question', testid: 'faq-row-question', text: entry.question }),
  h('span', { class: 'faq-row__meta' },
    h('span', { class: 'pill', text: entry.locale }),
    ...entry.tags.map((tag) => h('span', { class: 'pill pill--tag', text: tag })),
    entry.team ? h('span', { class: 'pill pill--team', testid: 'faq-row-team', text: entry.team }) : null,
    entry.translation ? h('span', { class: 'pill', testid: 'faq-row-translation', text: `⇄ ${entry.translation}` }) : null,
    entry.enabled ? null : h('span', { class: 'pill pill--off', text: t('admin.faq.disabled') }),
    h('span', { class: 'faq-row__id', text: entry.id })));
}

// ---- editor ---------------------------------------------------------------------------------

async function open(id) {
  try {
    const [entry, history] = await Promise.all([
      api('GET', `/api/admin/faq/${encodeURIComponent(id)}`),
      api('GET', `/api/admin/faq/${encodeURIComponent(id)}/history`),
    ]);
    edit(entry, history.versions);
  } catch (error) {
    showFailure(error);
  }
}

/** Fills the form with an entry (null: a new one) and its history. */
function edit(entry, versions = []) {
  S.editing = entry;
  const v = formValues(entry);
  ui.question.value = v.question;
  ui.paraphrases.value = v.paraphrases;
  ui.answer.value = v.answer;
  ui.tags.value = v.tags;
  ui.locale.value = v.locale;
  ui.enabled.checked = v.enabled;
  if (v.team && ![...ui.team.options].some((o) => o.value === v.team)) ui.team.append(h('option', { value: v.team, text: v.team }));
  ui.team.value = v.team;
  ui.translation.value = v.translation;
  showTranslation(entry?.translation ?? null);
  ui.formError.hidden = true;
  showAnswerPreview();
  ui.formTitle.textContent = t(entry ? 'admin.faq.editTitle' : 'admin.faq.newTitle');
  ui.formMeta.textContent = entry ? t('admin.faq.meta', {
    id: entry.id, version: entry.version, when: clock(entry.updatedAt), who: entry.updatedBy?.name ?? '',
  }) : '';
  ui.del.hidden = !entry;
  ui.historyCard.hidden = !entry;
  ui.history.replaceChildren(...versions.map(historyRow));
  for (const el of ui.list.querySelectorAll('.faq-row')) {
    el.classList.toggle('faq-row--selected', el.dataset.faqId === entry?.id);
  }
}

/** The answer as visitors will see it: paragraphs, lists and links, built as nodes. */
function showAnswerPreview() {
  ui.answerPreview.replaceChildren(...answerNodes(ui.answer.value));
}

/** Under the link field: the linked entry's question and a button to open it. */
async function showTranslation(id) {
  ui.translationView.hidden = !id;
  ui.translationView.replaceChildren();
  if (!id) return;
  let linked = null;
  try {
    linked = await api('GET', `/api/admin/faq/${encodeURIComponent(id)}`);
  } catch {
    // shown as missing below
  }
  if (S.editing?.translation !== id) return;
  // A missing entry gets its line alone: replaceChildren, unlike h(), would draw a null as "null".
  ui.translationView.replaceChildren(...(linked
    ? [h('span', { testid: 'faq-translation-question', text: t('admin.faq.translationOf', { question: linked.question, locale: linked.locale }) }),
      ' ',
      h('button', { type: 'button', class: 'link', testid: 'faq-translation-open', text: t('admin.faq.openTranslation'), onclick: () => open(id) })]
    : [h('span', { text: t('admin.faq.translationMissing', { id }) })]));
}

function historyRow(version) {
  const current = S.editing && version.version === S.editing.version;
  return h('li', { class: 'history__row', testid: 'history-row', dataset: { version: version.version } },
    h('div', { class: 'history__what', text: t('admin.history.row', {
      version: version.version, action: t(`admin.action.${version.action}`), when: clock(version.at), who: version.by?.name ?? '',
    }) }),
    h('div', { class: 'history__answer answer-text' }, answerNodes(version.entry.answer)),
    current ? null : h('button', {
      class: 'btn btn--small', type: 'button', testid: 'history-restore', text: t('admin.history.restore'),
      onclick: () => restore(version.version),
    }));
}

async function onSave(event) {
  event.preventDefault();
  ui.formError.hidden = true;
  ui.save.disabled = true;
  const values = {
    question: ui.question.value, paraphrases: ui.paraphrases.value, answer: ui.answer.value,
    tags: ui.tags.value, locale: ui.locale.value, enabled: ui.enabled.checked,
    team: ui.team.value, translation: ui.translation.value,
  };
  const editing = S.editing;
  try {
    const saved = editing
      ? await api('PUT', `/api/admin/faq/${encodeURIComponent(editing.id)}`, faqBody(values, editing.version))
      : await api('POST', '/api/admin/faq', faqBody(values));
    toast(t('admin.faq.saved'));
    await loadList();
    await open(saved.id);
    pollStatus();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'conflict' && editing) {
      await open(editing.id);
      showFormError(t('admin.faq.conflict', { message: error.message }));
    } else {
      showFormError(error instanceof ApiError ? error.message : t('admin.error.generic'));
    }
  } finally {
    ui.save.disabled = false;
  }
}

function showFormError(message) {
  ui.formError.textContent = message;
  ui.formError.hidden = false;
}

async function onDelete() {
  const editing = S.editing;
  if (!editing || !window.confirm(t('admin.faq.confirmDelete', { question: editing.question }))) return;
  try {
    await api('DELETE', `/api/admin/faq/${encodeURIComponent(editing.id)}?version=${editing.version}`);
    toast(t('admin.faq.deleted'));
    edit(null);
    await loadList();
    pollStatus();
  } catch (error) {
    showFormError(error instanceof ApiError ? error.message : t('admin.error.generic'));
  }
}

async function restore(version) {
  const editing = S.editing;
  if (!editing) return;
  try {
    await api('POST', `/api/admin/faq/${encodeURIComponent(editing.id)}/restore`, { version });
    toast(t('admin.history.restored', { version }));
    await loadList();
    await open(editing.id);
    pollStatus();
  } catch (error) {
    showFailure(error);
  }
}

// ---- bot status and test box -----------------------------------------------------------------

async function pollStatus() {
  clearTimeout(S.statusTimer);
  if (!S.token) return;
  let status = null;
  try {
    status = await api('GET', '/api/admin/bot/status');
    showStatus(status);
  } catch {
    // shown again on the next poll
  }
  if (!S.token) return;
  // Poll quickly while a rebuild runs (progress), slowly otherwise.
  S.statusTimer = setTimeout(pollStatus, status?.state === 'rebuilding' ? 300 : 5000);
}

function showStatus(status) {
  S.status = status;
  fillThresholds(false);
  const view = botStatusView(status, t);
  const root = tid('bot-status');
  root.dataset.state = status?.state ?? '';
  root.dataset.version = String(status?.version ?? '');
  ui.status.textContent = view.text;
  if (view.validation) tid('bot-validation').replaceChildren(...view.validation.map((line) => h('div', { text: line })));
  ui.progress.hidden = view.progress == null;
  if (view.progress != null) ui.progress.value = view.progress;
  if (status?.state === 'rebuilding') {
    clearTimeout(S.statusTimer);
    S.statusTimer = setTimeout(pollStatus, 300);
  }
}

async function onAsk(event) {
  event.preventDefault();
  const text = ui.askInput.value.trim();
  if (!text) return;
  let result;
  try {
    result = await api('POST', '/api/admin/bot/try', { text, locale: ui.askLocale.value });
  } catch (error) {
    // The previous question's result must not stand under this question as if it were its answer.
    ui.askResult.replaceChildren();
    delete ui.askResult.dataset.decision;
    delete ui.askResult.dataset.band;
    return showFailure(error);
  }
  const view = askView(result, t);
  const band = bandView(result, t);
  ui.askResult.dataset.decision = result.decision;
  ui.askResult.dataset.band = band.band ?? '';
  ui.askResult.replaceChildren(...[
    h('p', { class: 'ask-result__summary', testid: 'ask-decision', text: view.summary }),
    band.text ? h('p', { class: 'ask-result__band', testid: 'ask-band', text: band.text }) : null,
    band.tokens.length === 0 ? null : h('p', { class: 'ask-result__label', text: t('admin.ask.tokens') }),
    band.tokens.length === 0 ? null : h('ul', { class: 'tokens', testid: 'ask-tokens', dataset: { locale: band.tokenLocale ?? '' } },
      ...band.tokens.map((token) => h('li', { class: 'pill', testid: 'ask-token', text: token }))),
    view.answer == null ? null : h('div', { class: 'ask-result__answer answer-text', testid: 'ask-answer' }, answerNodes(view.answer)),
    view.candidates.length === 0 ? null : h('p', { class: 'ask-result__label', text: t('admin.ask.candidates') }),
    view.candidates.length === 0 ? null : h('ol', { class: 'ask-result__candidates' },
      ...view.candidates.map((c) => h('li', { testid: 'ask-candidate', dataset: { faqId: c.faqId } },
        h('button', { type: 'button', class: 'link', text: c.text, onclick: () => open(c.faqId) })))),
  ].filter(Boolean));
}

// ---- threshold what-if: preview on the recorded questions, then save per locale ------------------

/** Puts the live thresholds of the chosen locale into the inputs (always when asked, else only when empty). */
function fillThresholds(force) {
  const l = S.status?.locales?.[ui.whatIfLocale.value];
  if (!l) return;
  if (force || ui.whatIfAnswer.value === '') ui.whatIfAnswer.value = Number(l.answerThreshold).toFixed(2);
  if (force || ui.whatIfClarify.value === '') ui.whatIfClarify.value = Number(l.clarifyThreshold).toFixed(2);
  if (force) {
    ui.whatIfSave.disabled = true;
    ui.whatIfResult.replaceChildren();
  }
  ui.whatIfReset.hidden = !S.saved?.locales?.[ui.whatIfLocale.value];
}

async function loadSavedThresholds() {
  try {
    S.saved = await api('GET', '/api/admin/bot/thresholds');
    ui.whatIfReset.hidden = !S.saved.locales?.[ui.whatIfLocale.value];
  } catch {
    // the buttons stay as they are; saving reports the problem
  }
}

function whatIfFailure(message) {
  ui.whatIfError.textContent = message;
  ui.whatIfError.hidden = false;
}

async function onWhatIf(event) {
  event.preventDefault();
  ui.whatIfError.hidden = true;
  ui.whatIfSave.disabled = true;
  const { body, error } = whatIfBody({ locale: ui.whatIfLocale.value, answer: ui.whatIfAnswer.value, clarify: ui.whatIfClarify.value }, t);
  if (error) return whatIfFailure(error);
  let result;
  try {
    result = await api('POST', '/api/admin/bot/what-if', body);
  } catch (failure) {
    return whatIfFailure(failure instanceof ApiError ? failure.message : t('admin.error.generic'));
  }
  S.previewed = body;
  const view = whatIfView(result, t);
  ui.whatIfResult.dataset.changed = String(result.changed);
  ui.whatIfResult.replaceChildren(
    h('p', { class: 'whatif__summary', testid: 'whatif-summary', text: view.summary }),
    h('table', { class: 'whatif__table' },
      h('thead', {}, h('tr', {}, h('th', { text: '' }), h('th', { text: t('admin.whatif.before') }), h('th', { text: t('admin.whatif.after') }))),
      h('tbody', {}, ...view.rows.map((r) => h('tr', { testid: 'whatif-row', dataset: { decision: r.decision, before: r.before, after: r.after } },
        h('th', { text: r.label }), h('td', { text: String(r.before) }), h('td', { text: String(r.after) }))))),
    ...view.changes.map((line) => h('p', { class: 'meta', testid: 'whatif-change', text: line })),
    h('ul', { class: 'whatif__examples' }, ...view.examples.map((e) => h('li', { testid: 'whatif-example' },
      h('span', { text: e.text }), ' ', h('span', { class: 'meta', text: e.detail })))));
  ui.whatIfSave.disabled = false;
  return undefined;
}

async function onSaveThresholds() {
  const body = S.previewed;
  if (!body) return;
  ui.whatIfSave.disabled = true;
  try {
    S.saved = await api('PUT', `/api/admin/bot/thresholds/${body.locale}`, {
      answerThreshold: body.answerThreshold, clarifyThreshold: body.clarifyThreshold, version: S.saved?.version ?? 0 });
    toast(t('admin.whatif.saved', { locale: body.locale }));
    ui.whatIfReset.hidden = false;
    pollStatus();
  } catch (failure) {
    await loadSavedThresholds();
    whatIfFailure(failure instanceof ApiError ? failure.message : t('admin.error.generic'));
  }
}

async function onResetThresholds() {
  const locale = ui.whatIfLocale.value;
  try {
    S.saved = await api('DELETE', `/api/admin/bot/thresholds/${locale}?version=${S.saved?.version ?? 0}`);
    toast(t('admin.whatif.cleared', { locale }));
    ui.whatIfReset.hidden = true;
    await pollStatus();
    fillThresholds(true);
  } catch (failure) {
    await loadSavedThresholds();
    whatIfFailure(failure instanceof ApiError ? failure.message : t('admin.error.generic'));
  }
}

boot();

// ---- webhooks: the delivery log and redelivery (docs/integrations.md) --------------------------

async function loadWebhooks() {
  const list = tid('webhook-list');
  try {
    const { items } = await api('GET', '/api/admin/webhooks');
    list.replaceChildren(...(items.length === 0
      ? [h('li', { class: 'muted', text: t('admin.webhooks.none') })]
      : items.map((hook) => h('li', { testid: 'webhook-row' },
          h('span', { text: `${hook.url} (${hook.events.join(', ')})` }), ' ',
          h('button', { class: 'btn btn--ghost', type: 'button', testid: 'webhook-log', text: t('admin.webhooks.log'),
            onclick: () => loadDeliveries(hook.id) })))));
  } catch (error) {
    showFailure(error);
  }
}

async function loadDeliveries(webhookId) {
  const list = tid('delivery-list');
  try {
    const { items } = await api('GET', `/api/admin/webhooks/${encodeURIComponent(webhookId)}/deliveries`);
    list.replaceChildren(...(items.length === 0
      ? [h('li', { class: 'muted', text: t('admin.webhooks.empty') })]
      : items.map((delivery) => {
          const view = deliveryView(delivery, t);
          return h('li', { testid: 'delivery-row', class: view.failed ? 'failed' : null, dataset: { seq: delivery.seq } },
            h('span', { text: view.text }), ' ',
            view.redeliverable ? h('button', { class: 'btn btn--ghost', type: 'button', testid: 'delivery-redeliver',
              text: t('admin.webhooks.redeliver'), onclick: () => redeliver(webhookId, delivery.seq) }) : null);
        })));
  } catch (error) {
    showFailure(error);
  }
}

async function redeliver(webhookId, seq) {
  try {
    await api('POST', `/api/admin/webhooks/${encodeURIComponent(webhookId)}/deliveries/${seq}/redeliver`);
    toast(t('admin.webhooks.redelivered'));
    loadDeliveries(webhookId);
  } catch (error) {
    showFailure(error);
  }
}

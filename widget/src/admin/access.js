// Users, teams and the audit log (/admin/users, /admin/teams, /admin/audit): the admin REST API
// of docs/admin.md behind a small page. Shares the admin page's stored session. Every name,
// email and audit value is rendered with textContent (see /js/dom.js), never as HTML.

import { pickLocale, staffLanguage } from '/js/i18n.js';
import { h } from '/js/dom.js';
import { loginSession, logOutSession, requestLogin, revokeToken, showLoginView } from '/js/login.js';
import { accessTranslator } from './access-strings.js';
import { refusalText } from './refusals.js';
import { auditQuery, inviteBody, teamBody, auditChange } from './access-model.js';
import { integrationsPane } from './integrations.js';
import { sitesPane } from './sites.js';

const locale = pickLocale(document, staffLanguage(location.search, globalThis.localStorage));
const t = accessTranslator(locale);
const session = loginSession('sodam:admin');
const $ = (selector) => document.querySelector(selector);
const tid = (id) => $(`[data-testid="${id}"]`);
const ui = {
  loginView: $('#login-view'), loginForm: $('#login-form'), email: tid('admin-login-email'),
  password: tid('admin-login-password'), loginError: tid('admin-login-error'), loginSubmit: tid('admin-login-submit'),
  appView: $('#app-view'), me: tid('admin-name'), logout: tid('logout'), toast: $('#toast'),
  inviteForm: $('#invite-form'), inviteError: tid('invite-error'), inviteLink: tid('invite-link'),
  users: $('[data-testid="user-table"] tbody'),
  teams: tid('team-list'), teamForm: $('#team-form'), teamTitle: $('#team-form-title'), teamError: tid('team-error'),
  teamMembers: tid('team-members'), teamDelete: tid('team-delete'),
  auditForm: $('#audit-form'), audit: $('[data-testid="audit-table"] tbody'), auditCount: tid('audit-count'),
};
const S = { token: null, user: null, users: [], editingTeam: null, privacy: null, toastTimer: null };

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${S.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (res.status === 401) logout();
  // The server's reason in the page's language (refusals.js); its English message for anything else.
  if (!res.ok) throw new ApiError(res.status, json?.code ?? 'internal', refusalText(json, locale, res.statusText));
  return json;
}

function toast(text) {
  ui.toast.textContent = text;
  ui.toast.hidden = false;
  clearTimeout(S.toastTimer);
  S.toastTimer = setTimeout(() => { ui.toast.hidden = true; }, 5000);
}

const fail = (error) => toast(error.message);
const integrations = integrationsPane({ api, t, toast, fail });
const sites = sitesPane({ api, t, toast });

// ---- boot and login ---------------------------------------------------------------------------

function boot() {
  document.documentElement.lang = locale;
  document.title = t('access.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  ui.loginForm.addEventListener('submit', onLogin);
  ui.logout.addEventListener('click', signOut);
  for (const tab of document.querySelectorAll('[data-tab]')) tab.addEventListener('click', () => show(tab.dataset.tab));
  ui.inviteForm.addEventListener('submit', onInvite);
  ui.teamForm.addEventListener('submit', onSaveTeam);
  ui.teamDelete.addEventListener('click', onDeleteTeam);
  ui.auditForm.addEventListener('submit', (e) => { e.preventDefault(); loadAudit(); });
  tid('audit-csv').addEventListener('click', downloadCsv);
  $('#privacy-form').addEventListener('submit', onSavePrivacy);
  $('#mask-form').addEventListener('submit', onTryMask);
  tid('visitor-export').addEventListener('click', onExportVisitor);
  tid('visitor-delete').addEventListener('click', onDeleteVisitor);
  const token = session.token();
  if (token) start(token, session.user());
  else showLoginView(ui);
}

async function onLogin(event) {
  event.preventDefault();
  ui.loginSubmit.disabled = true;
  const result = await requestLogin(ui.email.value, ui.password.value);
  if (!result.ok) return showLoginView(ui, result.message || 'login failed');
  if (result.user?.role !== 'admin') {
    // Not kept by this page, so revoked at once: it would otherwise stay valid for hours, unused.
    revokeToken(result.token);
    return showLoginView(ui, 'admin only · 관리자만');
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
function logout() {
  session.clear();
  S.token = null;
  showLoginView(ui);
}

function start(token, user) {
  S.token = token;
  S.user = user;
  ui.loginView.hidden = true;
  ui.appView.hidden = false;
  ui.me.textContent = user?.name ?? '';
  const initial = location.pathname.split('/').pop();
  show(['users', 'teams', 'audit', 'privacy', 'integrations', 'sites'].includes(initial) ? initial : 'users');
}

function show(pane) {
  for (const el of document.querySelectorAll('[data-pane]')) el.hidden = el.dataset.pane !== pane;
  for (const tab of document.querySelectorAll('[data-tab]')) tab.setAttribute('aria-selected', String(tab.dataset.tab === pane));
  history.replaceState(null, '', `/admin/${pane}`);
  if (pane === 'users') loadUsers();
  if (pane === 'teams') loadTeams();
  if (pane === 'audit') loadAudit();
  if (pane === 'privacy') loadPrivacy();
  if (pane === 'integrations') integrations.load();
  if (pane === 'sites') sites.load();
}

// ---- users ------------------------------------------------------------------------------------

async function loadUsers() {
  try {
    S.users = (await api('GET', '/api/admin/users')).users;
  } catch (error) {
    return fail(error);
  }
  ui.users.replaceChildren(...S.users.map(userRow));
}

function userRow(user) {
  const role = h('select', { testid: 'user-role', 'aria-label': t('access.users.role') },
    ...['agent', 'supervisor', 'admin'].map((r) => h('option', { value: r, text: t(`access.role.${r}`) })));
  role.value = user.role;
  const max = h('input', { type: 'text', testid: 'user-max', value: user.maxChats ?? '', placeholder: t('access.users.default') });
  const status = user.disabled ? t('access.users.disabled') : user.pending ? t('access.users.pending') : t('access.users.active');
  return h('tr', { class: user.disabled ? 'user--disabled' : '', testid: 'user-row', dataset: { userId: user.id, email: user.email } },
    h('td', {}, h('span', { testid: 'user-name', text: user.name }), h('br'), h('small', { testid: 'user-status', text: status })),
    h('td', { text: `${user.email}${user.siteId ? ` · ${user.siteId}` : ''}` }),
    h('td', {}, role),
    h('td', {}, max),
    h('td', { text: user.teams.join(', ') }),
    h('td', {},
      h('button', { class: 'btn btn--small', type: 'button', testid: 'user-save', text: t('access.users.save'),
        onclick: () => editUser(user, { role: role.value, ...(max.value.trim() ? { maxChats: Number(max.value) } : { maxChats: null }) }) }),
      h('button', { class: 'btn btn--small', type: 'button', testid: 'user-toggle',
        text: user.disabled ? t('access.users.enable') : t('access.users.disable'),
        onclick: () => {
          if (!user.disabled && !confirm(t('access.users.confirmDisable', { name: user.name }))) return;
          editUser(user, { disabled: !user.disabled });
        } }),
      h('button', { class: 'btn btn--small', type: 'button', testid: 'user-reset', text: t('access.users.reset'),
        onclick: () => resetPassword(user) }),
      h('button', { class: 'btn btn--small', type: 'button', testid: 'user-revoke', text: t('access.users.revoke'),
        onclick: () => api('DELETE', `/api/admin/users/${encodeURIComponent(user.id)}/sessions`)
          .then((r) => toast(t('access.users.revoked', { n: r.revoked })), fail) })));
}

async function editUser(user, changes) {
  try {
    await api('PUT', `/api/admin/users/${encodeURIComponent(user.id)}`, { ...changes, version: user.version });
    toast(t('access.users.saved'));
  } catch (error) {
    toast(error.code === 'conflict' ? t('access.conflict', { message: error.message }) : error.message);
  }
  loadUsers();
}

async function resetPassword(user) {
  if (!confirm(t('access.users.confirmReset', { name: user.name }))) return;
  try {
    showLink(await api('POST', `/api/admin/users/${encodeURIComponent(user.id)}/reset-password`));
  } catch (error) {
    fail(error);
  }
  loadUsers();
}

function showLink(link) {
  ui.inviteLink.textContent = t('access.users.link', {
    expires: new Date(link.expiresAt).toLocaleString(locale), url: `${location.origin}${link.url}` });
  ui.inviteLink.hidden = false;
}

async function onInvite(event) {
  event.preventDefault();
  ui.inviteError.hidden = true;
  ui.inviteLink.hidden = true;
  const body = inviteBody({
    email: tid('invite-email').value, name: tid('invite-name').value, role: tid('invite-role').value,
    siteId: tid('invite-site').value, maxChats: tid('invite-max').value, password: tid('invite-password').value,
  });
  try {
    const created = await api('POST', '/api/admin/users', body);
    toast(t('access.users.created', { name: created.user.name }));
    if (created.invite) showLink(created.invite);
    for (const id of ['invite-email', 'invite-name', 'invite-password', 'invite-max']) tid(id).value = '';
    loadUsers();
  } catch (error) {
    ui.inviteError.textContent = error.message;
    ui.inviteError.hidden = false;
  }
}

// ---- teams ------------------------------------------------------------------------------------

async function loadTeams() {
  let teams;
  try {
    [teams, S.users] = await Promise.all([api('GET', '/api/admin/teams').then((r) => r.teams),
      api('GET', '/api/admin/users').then((r) => r.users)]);
  } catch (error) {
    return fail(error);
  }
  ui.teams.replaceChildren(...teams.map((team) => h('li', { class: 'card', testid: 'team-row', dataset: { teamId: team.id },
    onclick: () => editTeam(team) },
  h('strong', { text: locale === 'ko' ? team.name.ko : team.name.en }),
  h('div', { class: 'meta', text: `${team.id} · ${team.tags.join(', ')}` }),
  h('div', { class: 'meta', text: team.allAgents ? t('access.teams.allAgents')
    : team.members.map((id) => S.users.find((u) => u.id === id)?.name ?? id).join(', ') }),
  h('div', { class: 'meta', text: team.hours ? team.hours.timeZone ?? '' : t('access.teams.always') }))));
  editTeam(null);
}

function editTeam(team) {
  S.editingTeam = team;
  ui.teamTitle.textContent = team ? `${team.name.ko} · ${team.name.en}` : t('access.teams.new');
  tid('team-id').value = team?.id ?? '';
  tid('team-id').disabled = Boolean(team);
  tid('team-name-ko').value = team?.name.ko ?? '';
  tid('team-name-en').value = team?.name.en ?? '';
  tid('team-tags').value = team?.tags.join(', ') ?? '';
  tid('team-all').checked = team?.allAgents ?? false;
  tid('team-hours').value = team?.hours ? JSON.stringify(team.hours, null, 2) : '';
  ui.teamMembers.replaceChildren(...S.users.filter((u) => !u.disabled).map((u) => h('label', {},
    h('input', { type: 'checkbox', value: u.id, checked: Boolean(team?.members.includes(u.id)) }),
    h('span', { text: u.name }))));
  ui.teamDelete.hidden = !team;
  ui.teamError.hidden = true;
}

async function onSaveTeam(event) {
  event.preventDefault();
  const members = [...ui.teamMembers.querySelectorAll('input:checked')].map((box) => box.value);
  const { body, error } = teamBody({
    id: tid('team-id').value, nameKo: tid('team-name-ko').value, nameEn: tid('team-name-en').value,
    tags: tid('team-tags').value, allAgents: tid('team-all').checked, members, hoursText: tid('team-hours').value,
  }, S.editingTeam?.version);
  if (error) {
    ui.teamError.textContent = t('access.teams.badHours');
    ui.teamError.hidden = false;
    return;
  }
  try {
    if (S.editingTeam) await api('PUT', `/api/admin/teams/${encodeURIComponent(S.editingTeam.id)}`, body);
    else await api('POST', '/api/admin/teams', body);
    toast(t('access.teams.saved'));
    loadTeams();
  } catch (failure) {
    ui.teamError.textContent = failure.code === 'conflict' ? t('access.conflict', { message: failure.message }) : failure.message;
    ui.teamError.hidden = false;
  }
}

async function onDeleteTeam() {
  const team = S.editingTeam;
  if (!team) return;
  try {
    await api('DELETE', `/api/admin/teams/${encodeURIComponent(team.id)}?version=${team.version}`);
    toast(t('access.teams.deleted'));
    loadTeams();
  } catch (error) {
    ui.teamError.textContent = error.message;
    ui.teamError.hidden = false;
  }
}

// ---- audit ------------------------------------------------------------------------------------

function auditFilters() {
  return { actor: tid('audit-actor').value, action: tid('audit-action').value, type: tid('audit-type').value,
    from: tid('audit-from').value, to: tid('audit-to').value };
}

async function loadAudit() {
  let entries;
  try {
    entries = (await api('GET', `/api/admin/audit${auditQuery(auditFilters())}`)).entries;
  } catch (error) {
    return fail(error);
  }
  ui.auditCount.textContent = t('access.audit.count', { n: entries.length });
  ui.audit.replaceChildren(...entries.map((e) => h('tr', { testid: 'audit-row', dataset: { action: e.action } },
    h('td', { text: new Date(e.at).toLocaleString(locale) }),
    h('td', { text: e.actor.name ?? '' }),
    h('td', { testid: 'audit-action-cell', text: e.action }),
    h('td', { text: `${e.type} ${e.target ?? ''}${e.siteId ? ` · ${e.siteId}` : ''}` }),
    h('td', { class: 'change', testid: 'audit-change', text: auditChange(e.before, e.after) }))));
}

async function downloadCsv() {
  const res = await fetch(`/api/admin/audit${auditQuery(auditFilters(), 'csv')}`, {
    headers: { Authorization: `Bearer ${S.token}` } });
  if (!res.ok) return toast(res.statusText);
  const url = URL.createObjectURL(await res.blob());
  const link = h('a', { href: url, download: 'sodam-audit.csv', testid: 'audit-csv-link' });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(url); link.remove(); }, 1000);
  return undefined;
}

// ---- privacy ----------------------------------------------------------------------------------

async function loadPrivacy() {
  try {
    S.privacy = await api('GET', '/api/admin/privacy');
  } catch (error) {
    return fail(error);
  }
  tid('privacy-retention').value = S.privacy.retentionDays ?? '';
  tid('privacy-patterns').value = S.privacy.maskPatterns.join('\n');
  tid('privacy-error').hidden = true;
  return undefined;
}

async function onSavePrivacy(event) {
  event.preventDefault();
  const days = tid('privacy-retention').value.trim();
  const body = {
    retentionDays: days ? Number(days) : null,
    maskPatterns: tid('privacy-patterns').value.split('\n').map((p) => p.trim()).filter(Boolean),
    version: S.privacy?.version ?? 0,
  };
  try {
    await api('PUT', '/api/admin/privacy', body);
    toast(t('access.privacy.saved'));
    loadPrivacy();
  } catch (error) {
    tid('privacy-error').textContent = error.code === 'conflict' ? t('access.conflict', { message: error.message }) : error.message;
    tid('privacy-error').hidden = false;
    if (error.code === 'conflict') loadPrivacy();
  }
}

async function onTryMask(event) {
  event.preventDefault();
  try {
    const { masked } = await api('POST', '/api/admin/privacy/mask', { text: tid('mask-input').value });
    tid('mask-result').textContent = masked;
    tid('mask-result').hidden = false;
  } catch (error) {
    fail(error);
  }
}

async function onExportVisitor() {
  const id = tid('visitor-id').value.trim();
  if (!id) return;
  try {
    const data = await api('GET', `/api/admin/visitors/${encodeURIComponent(id)}/export`);
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const link = h('a', { href: url, download: `sodam-visitor-${data.visitor.id}.json` });
    document.body.append(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(url); link.remove(); }, 1000);
  } catch (error) {
    fail(error);
  }
}

async function onDeleteVisitor() {
  const id = tid('visitor-id').value.trim();
  if (!id || !confirm(t('access.privacy.confirmDelete', { id }))) return;
  try {
    const result = await api('DELETE', `/api/admin/visitors/${encodeURIComponent(id)}`);
    toast(t('access.privacy.deleted', { n: result.conversations }));
    tid('visitor-id').value = '';
  } catch (error) {
    fail(error);
  }
}

boot();

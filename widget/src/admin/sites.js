// The sites pane of the access page (/admin/sites): the sites of this installation (an admin of one
// site sees only theirs), adding one with its key and allowed origins, changing its origins, and its
// widget settings (greeting, colour, privacy notice, quick replies). docs/admin.md "Sites". Every
// value from the server is set with textContent (h() from /js/dom.js), never as HTML.

import { h } from '/js/dom.js';
import { siteBody, siteSettingsBody } from './access-model.js';

/** The pane, wired to the page's `api`, translator `t`, `toast` and `fail`. Returns `{ load }`. */
export function sitesPane({ api, t, toast, root = document }) {
  const tid = (id) => root.querySelector(`[data-testid="${id}"]`);
  const ui = {
    rows: root.querySelector('[data-testid="site-table"] tbody'),
    form: root.querySelector('#site-form'), title: root.querySelector('#site-form-title'),
    id: tid('site-id'), name: tid('site-name'), origins: tid('site-origins'), tag: tid('site-tag'),
    error: tid('site-error'), cancel: tid('site-cancel'),
    settings: root.querySelector('#site-settings-form'), settingsTitle: tid('site-settings-title'),
    greetingKo: tid('site-greeting-ko'), greetingEn: tid('site-greeting-en'), accent: tid('site-accent'),
    privacyKo: tid('site-privacy-ko'), privacyEn: tid('site-privacy-en'),
    quickKo: tid('site-quick-ko'), quickEn: tid('site-quick-en'), settingsError: tid('site-settings-error'),
  };
  const S = { editing: null };
  const showError = (el, message) => { el.textContent = message ?? ''; el.hidden = !message; };

  ui.form.addEventListener('submit', (e) => { e.preventDefault(); save(); });
  ui.cancel.addEventListener('click', () => edit(null));
  ui.settings.addEventListener('submit', (e) => { e.preventDefault(); saveSettings(); });

  async function load() {
    try {
      const { sites } = await api('GET', '/api/admin/sites');
      ui.rows.replaceChildren(...sites.map(row));
      if (S.editing && !sites.some((s) => s.id === S.editing.id)) edit(null);
    } catch (error) {
      showError(ui.error, error.message);
    }
  }

  function row(site) {
    return h('tr', { testid: 'site-row', dataset: { siteId: site.id } },
      h('td', { testid: 'site-row-id', text: site.id }),
      h('td', { text: site.name }),
      h('td', { testid: 'site-row-origins', text: site.allowedOrigins.join(', ') }),
      h('td', {}, h('button', {
        type: 'button', class: 'btn', testid: 'site-edit', text: t('sites.editButton'), onclick: () => edit(site),
      })));
  }

  /** Fills the form with a site (or empties it for a new one) and shows its widget settings. */
  async function edit(site) {
    S.editing = site;
    showError(ui.error, null);
    ui.title.textContent = site ? t('sites.edit', { id: site.id }) : t('sites.new');
    ui.id.value = site?.id ?? '';
    ui.id.disabled = Boolean(site); // the key is in every page's script tag: it never changes
    ui.name.value = site?.name ?? '';
    ui.origins.value = (site?.allowedOrigins ?? ['self']).join('\n');
    ui.cancel.hidden = !site;
    ui.tag.textContent = site
      ? t('sites.tag', { tag: `<script src="${location.origin}/widget.js" data-site="${site.id}" async></script>` })
      : '';
    ui.settings.hidden = !site;
    if (!site) return;
    ui.settingsTitle.textContent = t('sites.settingsTitle', { id: site.id });
    showError(ui.settingsError, null);
    try {
      const settings = await api('GET', `/api/admin/sites/${encodeURIComponent(site.id)}/settings`);
      ui.greetingKo.value = settings.greeting?.ko ?? '';
      ui.greetingEn.value = settings.greeting?.en ?? '';
      ui.accent.value = settings.accentColor ?? '';
      ui.privacyKo.value = settings.privacy?.ko ?? '';
      ui.privacyEn.value = settings.privacy?.en ?? '';
      ui.quickKo.value = (settings.quickReplies?.ko ?? []).join('\n');
      ui.quickEn.value = (settings.quickReplies?.en ?? []).join('\n');
    } catch (error) {
      showError(ui.settingsError, error.message);
    }
  }

  async function save() {
    const adding = !S.editing;
    const body = siteBody({ id: ui.id.value, name: ui.name.value, origins: ui.origins.value }, adding);
    try {
      const site = adding
        ? await api('POST', '/api/admin/sites', body)
        : await api('PUT', `/api/admin/sites/${encodeURIComponent(S.editing.id)}`, body);
      toast(t('sites.saved'));
      await load();
      await edit(site);
    } catch (error) {
      showError(ui.error, error.message);
    }
  }

  async function saveSettings() {
    if (!S.editing) return;
    const body = siteSettingsBody({
      greetingKo: ui.greetingKo.value, greetingEn: ui.greetingEn.value, accentColor: ui.accent.value,
      privacyKo: ui.privacyKo.value, privacyEn: ui.privacyEn.value, quickKo: ui.quickKo.value, quickEn: ui.quickEn.value,
    });
    try {
      await api('PUT', `/api/admin/sites/${encodeURIComponent(S.editing.id)}/settings`, body);
      showError(ui.settingsError, null);
      toast(t('sites.settingsSaved'));
    } catch (error) {
      showError(ui.settingsError, error.message);
    }
  }

  return { load };
}

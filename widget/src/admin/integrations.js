// The integrations pane of the access page (/admin/integrations): API keys (created with the key
// shown once, revoked) and webhooks (created with the signing secret shown once, edited, disabled,
// deleted) with each webhook's delivery log and redelivery. docs/integrations.md. Every name, URL
// and error from the server is set with textContent (h() from /js/dom.js), never as HTML.

import { h } from '/js/dom.js';
import { EVENTS, keyBody, lastAnswer } from './integrations-model.js';

/**
 * The pane, wired to the page's `api(method, path, body)`, translator `t`, `toast` and `fail`.
 * Returns `{ load }`, called whenever the pane is shown.
 */
export function integrationsPane({ api, t, toast, fail, root = document }) {
  const tid = (id) => root.querySelector(`[data-testid="${id}"]`);
  const ui = {
    site: tid('int-site'), keyForm: root.querySelector('#key-form'), keyError: tid('key-error'),
    keySecret: tid('key-secret'), keys: root.querySelector('[data-testid="key-table"] tbody'),
    hookForm: root.querySelector('#hook-form'), hookTitle: root.querySelector('#hook-form-title'),
    hookUrl: tid('hook-url'), hookEvents: tid('hook-events'), hookError: tid('hook-error'),
    hookSecret: tid('hook-secret'), hookCancel: tid('hook-cancel'),
    hooks: root.querySelector('[data-testid="hook-table"] tbody'), log: tid('delivery-log'),
    logTitle: tid('delivery-title'), logRows: tid('delivery-rows'),
  };
  const S = { editing: null, logOf: null };
  const site = () => encodeURIComponent(ui.site.value.trim() || 'demo');
  const showError = (el, message) => { el.textContent = message; el.hidden = !message; };

  ui.hookEvents.replaceChildren(...EVENTS.map((event) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: event }), h('span', { text: event }))));

  async function load() {
    await Promise.all([loadKeys(), loadHooks()]);
  }

  // ---- API keys

  async function loadKeys() {
    try {
      const keys = (await api('GET', `/api/admin/api-keys?site=${site()}`)).items;
      ui.keys.replaceChildren(...keys.map(keyRow));
    } catch (error) {
      fail(error);
    }
  }

  function keyRow(key) {
    const revoked = key.revokedAt != null;
    return h('tr', { testid: 'key-row', dataset: { keyId: key.id } },
      h('td', {}, h('span', { testid: 'key-name', text: key.name }), key.channel ? h('small', { text: ` · ${key.channel}` }) : null),
      h('td', { text: key.scopes.join(', ') }),
      h('td', { text: new Date(key.createdAt).toLocaleString() }),
      h('td', { testid: 'key-status', text: revoked ? t('int.keys.revoked') : t('int.keys.active') }),
      h('td', {}, revoked ? null : h('button', {
        type: 'button', class: 'btn btn--danger', testid: 'key-revoke', text: t('int.keys.revoke'),
        onclick: () => revoke(key),
      })));
  }

  async function revoke(key) {
    if (!confirm(t('int.keys.confirmRevoke', { name: key.name }))) return;
    try {
      await api('DELETE', `/api/admin/api-keys/${encodeURIComponent(key.id)}`);
      await loadKeys();
    } catch (error) {
      fail(error);
    }
  }

  ui.keyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const scopes = [...tid('key-scopes').querySelectorAll('input:checked')].map((box) => box.value);
    const body = keyBody(ui.site.value.trim() || 'demo', tid('key-name').value, scopes, tid('key-channel').value);
    if (!body) return showError(ui.keyError, t('int.keys.needName'));
    showError(ui.keyError, '');
    try {
      const created = await api('POST', '/api/admin/api-keys', body);
      ui.keySecret.textContent = t('int.keys.secret', { secret: created.secret });
      ui.keySecret.hidden = false;
      tid('key-name').value = '';
      tid('key-channel').value = '';
      await loadKeys();
    } catch (error) {
      showError(ui.keyError, error.message);
    }
  });

  // ---- webhooks

  async function loadHooks() {
    try {
      const hooks = (await api('GET', `/api/admin/webhooks?site=${site()}`)).items;
      ui.hooks.replaceChildren(...hooks.map(hookRow));
    } catch (error) {
      fail(error);
    }
  }

  function hookRow(hook) {
    const button = (testid, text, onclick, danger) => h('button', {
      type: 'button', class: danger ? 'btn btn--danger' : 'btn', testid, text, onclick,
    });
    return h('tr', { testid: 'hook-row', class: hook.enabled ? '' : 'user--disabled', dataset: { hookId: hook.id } },
      h('td', {}, h('span', { testid: 'hook-url-text', text: hook.url })),
      h('td', { text: hook.events.join(', ') }),
      h('td', { testid: 'hook-status', text: hook.enabled ? t('int.hooks.enabled') : t('int.hooks.disabled') }),
      h('td', {},
        button('hook-edit', t('int.hooks.editButton'), () => edit(hook)),
        button('hook-toggle', hook.enabled ? t('int.hooks.disable') : t('int.hooks.enable'),
          () => save(hook.id, { enabled: !hook.enabled })),
        button('hook-log', t('int.hooks.log'), () => showLog(hook)),
        button('hook-delete', t('int.hooks.delete'), () => remove(hook), true)));
  }

  function edit(hook) {
    S.editing = hook;
    ui.hookTitle.textContent = t('int.hooks.edit');
    ui.hookUrl.value = hook.url;
    for (const box of ui.hookEvents.querySelectorAll('input')) box.checked = hook.events.includes(box.value);
    ui.hookCancel.hidden = false;
    ui.hookSecret.hidden = true;
  }

  function resetForm() {
    S.editing = null;
    ui.hookTitle.textContent = t('int.hooks.new');
    ui.hookUrl.value = '';
    for (const box of ui.hookEvents.querySelectorAll('input')) box.checked = false;
    ui.hookCancel.hidden = true;
  }

  async function save(id, body) {
    try {
      await api('PUT', `/api/admin/webhooks/${encodeURIComponent(id)}`, body);
      toast(t('int.hooks.saved'));
      await loadHooks();
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  }

  async function remove(hook) {
    if (!confirm(t('int.hooks.confirmDelete', { url: hook.url }))) return;
    try {
      await api('DELETE', `/api/admin/webhooks/${encodeURIComponent(hook.id)}`);
      if (S.logOf?.id === hook.id) ui.log.hidden = true;
      await loadHooks();
    } catch (error) {
      fail(error);
    }
  }

  ui.hookCancel.addEventListener('click', resetForm);
  ui.hookForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const events = [...ui.hookEvents.querySelectorAll('input:checked')].map((box) => box.value);
    const body = { url: ui.hookUrl.value.trim(), events };
    showError(ui.hookError, '');
    try {
      if (S.editing) {
        await api('PUT', `/api/admin/webhooks/${encodeURIComponent(S.editing.id)}`, body);
        toast(t('int.hooks.saved'));
      } else {
        const created = await api('POST', '/api/admin/webhooks', { ...body, site: ui.site.value.trim() || 'demo' });
        ui.hookSecret.textContent = t('int.hooks.secret', { secret: created.secret });
        ui.hookSecret.hidden = false;
      }
      resetForm();
      await loadHooks();
    } catch (error) {
      showError(ui.hookError, error.message);
    }
  });

  // ---- the delivery log

  async function showLog(hook) {
    S.logOf = hook;
    ui.logTitle.textContent = t('int.log.title', { url: hook.url });
    ui.log.hidden = false;
    try {
      const deliveries = (await api('GET', `/api/admin/webhooks/${encodeURIComponent(hook.id)}/deliveries`)).items;
      ui.logRows.replaceChildren(...(deliveries.length ? deliveries.map((d) => deliveryRow(hook, d))
        : [h('tr', {}, h('td', { colspan: '6', text: t('int.log.empty') }))]));
    } catch (error) {
      fail(error);
    }
  }

  function deliveryRow(hook, delivery) {
    return h('tr', { testid: 'delivery-row', dataset: { seq: delivery.seq, type: delivery.type } },
      h('td', { text: String(delivery.seq) }),
      h('td', { text: delivery.type }),
      h('td', { testid: 'delivery-status', text: delivery.status }),
      h('td', { text: String(delivery.attempts) }),
      h('td', { text: lastAnswer(delivery) }),
      h('td', {}, h('button', {
        type: 'button', class: 'btn', testid: 'delivery-redeliver', text: t('int.log.redeliver'),
        onclick: async () => {
          try {
            await api('POST', `/api/admin/webhooks/${encodeURIComponent(hook.id)}/deliveries/${delivery.seq}/redeliver`);
            toast(t('int.log.queued'));
            await showLog(hook);
          } catch (error) {
            fail(error);
          }
        },
      })));
  }

  ui.site.addEventListener('change', () => { ui.log.hidden = true; load(); });
  return { load };
}

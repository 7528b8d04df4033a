// The gap report page: the questions the bot failed, grouped, newest examples first, with the
// agents' answers to choose from; one click makes a disabled FAQ draft and opens it in the editor.

import { h } from '/js/dom.js';
import { defaultPeriod, reportQuery, draftBody } from './insights.js';

/**
 * `api(method, path, body)` calls the admin API (JSON), `t` translates, `toast` shows a message,
 * `openEntry(id)` switches to the FAQ editor with that entry.
 */
export function mountGaps({ api, t, toast, openEntry, locale }) {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  const from = $('gaps-from');
  const to = $('gaps-to');
  const language = $('gaps-locale');
  const list = $('gaps-list');
  const summary = $('gaps-summary');
  const period = defaultPeriod();
  from.value = period.from;
  to.value = period.to;

  async function load() {
    summary.textContent = t('admin.gaps.loading');
    let report;
    try {
      report = await api('GET', `/api/admin/gaps${reportQuery({ from: from.value, to: to.value, locale: language.value,
        tz: Intl.DateTimeFormat().resolvedOptions().timeZone })}`);
    } catch (error) {
      summary.textContent = error.message;
      return;
    }
    summary.textContent = t('admin.gaps.summary', { questions: report.questions, clusters: report.clusters.length });
    list.replaceChildren(...report.clusters.map(card));
    list.dataset.loaded = String(Date.now());
  }

  function card(cluster) {
    const name = `answer-${cluster.id}`;
    const choices = cluster.agentAnswers.map((answer, i) => h('label', { class: 'gap-answer' },
      h('input', { type: 'radio', name, value: String(i), checked: i === 0, testid: 'gap-answer' }),
      h('span', { class: 'gap-answer__text', text: answer.text }),
      h('span', { class: 'gap-answer__who', text: answer.agentName ? ` — ${answer.agentName}` : '' })));
    choices.push(h('label', { class: 'gap-answer' },
      h('input', { type: 'radio', name, value: '-1', checked: cluster.agentAnswers.length === 0, testid: 'gap-answer-none' }),
      h('span', { text: t('admin.gaps.writeOwn') })));
    const root = h('li', { class: 'card gap', testid: 'gap-cluster', dataset: { clusterId: cluster.id, count: cluster.count } },
      h('div', { class: 'gap__head' },
        h('strong', { class: 'gap__label', testid: 'gap-label', text: cluster.label }),
        h('span', { class: 'pill', testid: 'gap-count', text: t('admin.gaps.count', { n: cluster.count }) }),
        h('span', { class: 'pill', text: cluster.locale }),
        ...Object.entries(cluster.reasons).map(([reason, n]) => h('span', { class: 'pill pill--tag',
          text: `${t(`admin.gaps.reason.${reason}`)} ${n}` }))),
      h('p', { class: 'meta', text: t('admin.gaps.terms', { terms: cluster.terms.join(', ') }) }),
      h('ul', { class: 'gap__examples' }, ...cluster.examples.map((e) => h('li', { testid: 'gap-example',
        text: `${e.text}  (${new Date(e.at).toLocaleString(locale)})` }))),
      h('p', { class: 'gap__answers-title', text: t('admin.gaps.answers') }),
      h('div', { class: 'gap__answers' }, ...choices),
      h('button', { class: 'btn btn--primary btn--small', type: 'button', testid: 'gap-draft', text: t('admin.gaps.draft'),
        onclick: (event) => draft(cluster, root, event.currentTarget) }));
    return root;
  }

  async function draft(cluster, root, button) {
    const chosen = root.querySelector('input[type="radio"]:checked');
    button.disabled = true;
    try {
      const entry = await api('POST', '/api/admin/gaps/draft', draftBody(cluster, Number(chosen?.value ?? 0)));
      toast(t('admin.gaps.drafted'));
      openEntry(entry.id);
    } catch (error) {
      toast(error.message);
    } finally {
      button.disabled = false;
    }
  }

  $('gaps-load').addEventListener('click', load);
  return { load };
}

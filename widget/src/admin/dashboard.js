// The analytics dashboard: figures for a period, site and team, drawn as SVG charts in the
// browser (charts.js; nothing loaded from elsewhere), and the same figures as a CSV download.

import { h } from '/js/dom.js';
import { defaultPeriod, reportQuery, formatSeconds, formatRate } from './insights.js';
import { barChart, hbarChart } from './charts.js';

export function mountDashboard({ api, download, t, locale }) {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  const from = $('dash-from');
  const to = $('dash-to');
  const site = $('dash-site');
  const team = $('dash-team');
  const kpis = $('dash-kpis');
  const charts = $('dash-charts');
  const period = defaultPeriod(new Date(), 14);
  from.value = period.from;
  to.value = period.to;
  const tz = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
  const query = (extra = {}) => reportQuery({ from: from.value, to: to.value, site: site.value, team: team.value, tz: tz(), ...extra });

  function kpi(id, label, value, detail = '') {
    return h('div', { class: 'kpi', testid: `kpi-${id}` },
      h('span', { class: 'kpi__label', text: label }),
      h('strong', { class: 'kpi__value', text: value }),
      detail ? h('span', { class: 'kpi__detail', text: detail }) : null);
  }

  function panel(title, chart, empty) {
    return h('section', { class: 'card chart-card' }, h('h3', { text: title }),
      chart ?? h('p', { class: 'meta', testid: 'chart-empty', text: empty ?? t('admin.dash.noData') }));
  }

  function render(r) {
    const times = r.times;
    const seconds = (s) => formatSeconds(s?.medianSeconds, locale);
    kpis.replaceChildren(
      kpi('conversations', t('admin.dash.conversations'), String(r.conversations)),
      kpi('containment', t('admin.dash.containment'), formatRate(r.bot.containmentRate),
        t('admin.dash.containmentDetail', { contained: r.bot.contained, handled: r.bot.handled })),
      kpi('handoff', t('admin.dash.handoffRate'), formatRate(r.handoffs.rate), t('admin.dash.count', { n: r.handoffs.count })),
      kpi('waiting', t('admin.dash.waiting'), seconds(times.waiting), t('admin.dash.businessHours', { value: seconds(times.waitingBusinessHours) })),
      kpi('first-response', t('admin.dash.firstResponse'), seconds(times.firstResponse),
        t('admin.dash.businessHours', { value: seconds(times.firstResponseBusinessHours) })),
      kpi('resolution', t('admin.dash.resolution'), seconds(times.resolution),
        t('admin.dash.businessHours', { value: seconds(times.resolutionBusinessHours) })),
      kpi('csat', t('admin.dash.csat'), r.feedback?.csat?.average == null ? '–' : String(r.feedback.csat.average),
        r.feedback?.csat ? t('admin.dash.count', { n: r.feedback.csat.count }) : t('admin.dash.noFeedback')),
      kpi('nps', t('admin.dash.nps'), r.feedback?.nps?.score == null ? '–' : String(r.feedback.nps.score),
        r.feedback?.nps ? t('admin.dash.count', { n: r.feedback.nps.count }) : t('admin.dash.noFeedback')));
    const days = r.perDay;
    const reasons = Object.entries(r.handoffs.reasons).map(([reason, n]) => ({ label: t(`admin.dash.reason.${reason}`), value: n }));
    const thumbs = (r.feedback?.perFaq ?? []).map((f) => ({ label: f.question ?? f.faqId, value: f.up ?? 0, down: f.down ?? 0 }));
    charts.replaceChildren(
      panel(t('admin.dash.perDay'), days.length ? barChart('per-day', t('admin.dash.perDay'), days.map((d) => d.conversations),
        days.map((d) => d.date.slice(5)), { labelEvery: Math.max(1, Math.ceil(days.length / 10)) }) : null),
      panel(t('admin.dash.perHour'), barChart('per-hour', t('admin.dash.perHour'), r.perHour.map((x) => x.conversations),
        r.perHour.map((x) => String(x.hour)), { labelEvery: 3 })),
      panel(t('admin.dash.handoffDays'), days.length ? barChart('handoffs-per-day', t('admin.dash.handoffDays'),
        days.map((d) => d.handoffs), days.map((d) => d.date.slice(5)), { labelEvery: Math.max(1, Math.ceil(days.length / 10)) }) : null),
      panel(t('admin.dash.reasons'), reasons.length ? hbarChart('handoff-reasons', t('admin.dash.reasons'), reasons) : null),
      panel(t('admin.dash.busiest'), r.busiestFaq.length ? hbarChart('busiest-faq', t('admin.dash.busiest'),
        r.busiestFaq.map((f) => ({ label: f.question ?? f.faqId, value: f.answers }))) : null),
      panel(t('admin.dash.thumbs'), thumbs.length ? hbarChart('faq-thumbs', t('admin.dash.thumbs'),
        thumbs.map((f) => ({ label: `${f.label} 👎${f.down}`, value: f.value }))) : null, t('admin.dash.noFeedback')),
      panel(t('admin.dash.agents'), r.agents.length ? hbarChart('agent-load', t('admin.dash.agents'),
        r.agents.map((a) => ({ label: a.name, value: a.assigned }))) : null),
      panel(t('admin.dash.teams'), r.teams.length ? hbarChart('team-load', t('admin.dash.teams'),
        r.teams.map((x) => ({ label: x.name ?? t('admin.dash.noTeam'), value: x.handoffs }))) : null));
    const known = new Set([...team.options].map((o) => o.value));
    for (const x of r.teams) {
      if (x.id && !known.has(x.id)) team.append(h('option', { value: x.id, text: x.name ?? x.id }));
    }
    charts.dataset.loaded = String(Date.now());
  }

  async function load() {
    try {
      render(await api('GET', `/api/admin/analytics${query()}`));
    } catch (error) {
      kpis.replaceChildren(h('p', { class: 'error', text: error.message }));
    }
  }

  $('dash-load').addEventListener('click', load);
  $('dash-export').addEventListener('click', () => download(`/api/admin/analytics${query({ format: 'csv' })}`, 'sodam-analytics.csv'));
  return { load };
}

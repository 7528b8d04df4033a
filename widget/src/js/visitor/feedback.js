// Visitor feedback in the widget: 👍/👎 "도움이 됐나요?" under each bot answer, and the satisfaction
// card (CSAT 1–5 with an optional comment, then the site's NPS question when it asks one) once a
// chat is resolved. Both only send `rate` frames; what is stored comes back as `rated` pushes,
// which also reach the visitor's other tabs and a reloaded page. Strings carry data-i18n keys so
// setLocale() re-renders them.

import { h } from '../dom.js';

const CSAT_SCORES = [1, 2, 3, 4, 5];
const NPS_SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function tx(t, key, params) {
  return { 'data-i18n': key, text: t(key, params) };
}

/** Whether a message gets the 👍/👎 row: a bot answer (not a "did you mean" list) with an id. */
export function wantsThumbs(m) {
  return m?.from?.kind === 'bot' && Boolean(m.messageId) && !(m.suggestions?.length);
}

/** The 👍/👎 row under a bot answer; `onRate(score)` sends the frame. */
export function thumbsRow(t, messageId, onRate) {
  const button = (score, face, key) => h('button', {
    class: 'thumb', type: 'button', testid: score ? 'thumbs-up' : 'thumbs-down', 'aria-pressed': 'false',
    'aria-label': t(key), 'data-i18n-aria-label': key, title: t(key), 'data-i18n-title': key,
    onclick: () => onRate(score),
  }, face);
  return h('div', { class: 'thumbs', testid: 'feedback', dataset: { messageId } },
    h('span', tx(t, 'feedback.helpful')), button(1, '👍', 'feedback.yes'), button(0, '👎', 'feedback.no'));
}

/** Shows a stored 👍/👎 on its row (pressed state; the other button released). */
export function markThumbs(row, score) {
  row.dataset.rated = String(score);
  for (const b of row.querySelectorAll('.thumb')) {
    const mine = (b.dataset.testid === 'thumbs-up') === (score === 1);
    b.setAttribute('aria-pressed', String(mine));
  }
}

/**
 * The card asking how the chat went, for one resolved conversation. `send(kind, score, comment)`
 * returns whether the frame was written; the card turns into "thanks" when the `rated` push for
 * it arrives (done()), so a lost frame never looks stored.
 */
export class SatisfactionCard {
  constructor({ t, conversationId, nps, send }) {
    this.conversationId = conversationId;
    this.nps = nps; // null, or { question: text } when the site asks
    this.send = send;
    this.t = t;
    this.submitted = new Set();
    this.el = h('li', { class: 'csat', testid: 'csat', dataset: { conversationId } });
    this.showCsat();
  }

  scale(kind, scores, labelKey) {
    let chosen = null;
    const buttons = scores.map((n) => h('button', {
      class: `score score--${kind}`, type: 'button', testid: `${kind}-score`, 'aria-pressed': 'false',
      dataset: { score: n }, 'aria-label': this.t(labelKey, { n }), 'data-i18n-aria-label': labelKey,
      onclick: () => {
        chosen = n;
        for (const b of buttons) b.setAttribute('aria-pressed', String(b === buttons[scores.indexOf(n)]));
        submit.disabled = false;
      },
    }, kind === 'csat' ? '★' : String(n)));
    // setLocale() fills {n} of a re-rendered string from data-n.
    for (const b of buttons) b.dataset.n = b.dataset.score;
    const comment = h('textarea', {
      class: 'comment', testid: `${kind}-comment`, rows: '2', maxlength: '1000',
      placeholder: this.t('feedback.comment'), 'data-i18n-placeholder': 'feedback.comment',
      'aria-label': this.t('feedback.comment'), 'data-i18n-aria-label': 'feedback.comment',
    });
    const error = h('p', { class: 'note', role: 'alert', hidden: true, ...tx(this.t, 'feedback.failed') });
    const submit = h('button', {
      class: 'chip chip--submit', type: 'button', testid: `${kind}-submit`, disabled: true,
      ...tx(this.t, 'feedback.submit'),
      onclick: () => {
        if (chosen == null) return;
        const ok = this.send(kind, chosen, comment.value);
        error.hidden = ok;
        if (ok) {
          this.submitted.add(kind);
          submit.disabled = true;
        }
      },
    });
    return { buttons, comment, submit, error };
  }

  showCsat() {
    const s = this.scale('csat', CSAT_SCORES, 'feedback.csatScore');
    this.el.replaceChildren(
      h('p', { class: 'csat-q', id: `csat-q-${this.conversationId}`, ...tx(this.t, 'feedback.csat') }),
      h('div', { class: 'scores', role: 'group', 'aria-labelledby': `csat-q-${this.conversationId}` }, s.buttons),
      s.comment, s.submit, s.error);
    this.el.dataset.step = 'csat';
  }

  showNps() {
    const s = this.scale('nps', NPS_SCORES, 'feedback.npsScore');
    const question = this.nps?.question
      ? h('p', { class: 'csat-q', id: `nps-q-${this.conversationId}` }, this.nps.question)
      : h('p', { class: 'csat-q', id: `nps-q-${this.conversationId}`, ...tx(this.t, 'feedback.nps') });
    this.el.replaceChildren(question,
      h('div', { class: 'scores scores--nps', role: 'group', 'aria-labelledby': `nps-q-${this.conversationId}` }, s.buttons),
      h('p', { class: 'nps-ends', 'aria-hidden': 'true' },
        h('span', tx(this.t, 'feedback.npsLow')), h('span', tx(this.t, 'feedback.npsHigh'))),
      s.comment, s.submit, s.error);
    this.el.dataset.step = 'nps';
  }

  /**
   * A `rated` push for this conversation. A rating sent from this page moves the card on (CSAT →
   * NPS → thanks); one given earlier (replayed after a reload, or from another tab) retires it.
   * Returns false when the card should be removed.
   */
  done(kind) {
    if (!this.submitted.has(kind)) {
      if (kind === 'csat' && this.el.dataset.step === 'csat') return false;
      if (kind === 'nps') return false;
      return true;
    }
    if (kind === 'csat' && this.nps) this.showNps();
    else {
      this.el.replaceChildren(h('p', { class: 'csat-thanks', testid: 'csat-thanks', ...tx(this.t, 'feedback.thanks') }));
      this.el.dataset.step = 'thanks';
    }
    return true;
  }
}

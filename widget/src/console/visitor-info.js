// What the console knows about the visitor of a chat besides the messages: the feedback they gave
// (👍/👎 on bot answers, CSAT, NPS from `rated` frames) and, once identified, their profile. All
// of it is visitor-controlled text and is rendered as text only (h() in /js/dom.js).

import { h } from '/js/dom.js';

/** Feedback per conversation, one entry per kind and rated message (a later rating replaces it). */
export class FeedbackBook {
  constructor() {
    this.byConversation = new Map();
  }

  /** Stores a `rated` frame; returns whether anything changed. */
  add(f) {
    if (!f?.conversationId || !f.kind) return false;
    let items = this.byConversation.get(f.conversationId);
    if (!items) {
      items = new Map();
      this.byConversation.set(f.conversationId, items);
    }
    const key = `${f.kind}:${f.messageId ?? ''}`;
    const old = items.get(key);
    if (old && old.feedbackId === f.feedbackId) return false;
    items.set(key, f);
    return true;
  }

  /** { up, down, csat, nps } of a conversation; csat/nps are the frames (or null). */
  summary(conversationId) {
    const out = { up: 0, down: 0, csat: null, nps: null };
    for (const f of this.byConversation.get(conversationId)?.values() ?? []) {
      if (f.kind === 'thumbs') {
        if (f.score === 1) out.up += 1;
        else out.down += 1;
      } else if (f.kind === 'csat') out.csat = f;
      else if (f.kind === 'nps') out.nps = f;
    }
    return out;
  }
}

/** The feedback line of a chat, or null when the visitor gave none. */
export function feedbackEl(t, summary) {
  const parts = [];
  if (summary.up || summary.down) {
    parts.push(h('span', { testid: 'feedback-thumbs', dataset: { up: summary.up, down: summary.down } },
      t('console.feedback.thumbs', { up: summary.up, down: summary.down })));
  }
  for (const kind of ['csat', 'nps']) {
    const f = summary[kind];
    if (!f) continue;
    parts.push(h('span', { testid: `feedback-${kind}`, dataset: { score: f.score } },
      t(`console.feedback.${kind}`, { n: f.score }),
      f.comment ? h('q', { class: 'feedback-comment' }, f.comment) : null));
  }
  if (!parts.length) return null;
  return h('p', { class: 'visitor-feedback', testid: 'visitor-feedback' },
    h('strong', {}, t('console.feedback.title')), ...parts);
}

/**
 * The visitor's profile in the chat view: name, e-mail, the site's user id and attributes, each
 * as text (a name like "<img onerror=…>" is shown as those characters), or null when there is none.
 */
export function profileEl(t, visitor) {
  if (!visitor) return null;
  const rows = [];
  const row = (label, value, testid) => {
    if (value == null || value === '') return;
    rows.push(h('dt', {}, label), h('dd', { testid }, String(value)));
  };
  row(t('console.profile.name'), visitor.name, 'profile-name');
  row(t('console.profile.email'), visitor.email, 'profile-email');
  row(t('console.profile.externalId'), visitor.externalId, 'profile-external-id');
  for (const [key, value] of Object.entries(visitor.attributes ?? {})) {
    rows.push(h('dt', { class: 'attr-key' }, key), h('dd', { testid: 'profile-attribute', dataset: { key } }, String(value)));
  }
  if (!rows.length) return null;
  return h('details', { class: 'visitor-profile', testid: 'visitor-profile', open: true },
    h('summary', {}, t('console.profile.title')), h('dl', {}, rows));
}

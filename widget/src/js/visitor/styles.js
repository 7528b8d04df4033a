// Stylesheet of the visitor widget. It is injected into the widget's shadow root, so nothing
// here can reach the host page and the host page's CSS cannot reach in. The one element the page
// can style is the host <div>: `all: initial !important` there wins even over a page's
// `div { display: none !important }` or `* { all: unset; font-size: 40px !important }`, because
// for !important declarations the shadow tree's own rules beat the outer page's.
export const WIDGET_CSS = `
:host { all: initial !important; display: block !important; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }

.root {
  all: initial; /* the host element may inherit anything from the page; start clean */
  --accent: #0f766e;
  --accent-hover: #115e59;
  --accent-soft: #e6f4f1;
  --ink: #1f2933;
  --muted: #6b7280;
  --border: #e5e7eb;
  --surface: #ffffff;
  --canvas: #f7f8f8;
  position: fixed;
  right: 20px;
  bottom: 20px;
  z-index: 2147483000;
  font-family: -apple-system, BlinkMacSystemFont, "Apple SD Gothic Neo", "Pretendard", "Malgun Gothic",
    "Noto Sans KR", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px;
  line-height: 1.5;
  color: var(--ink);
  -webkit-font-smoothing: antialiased;
  text-align: left;
}
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

.launcher {
  display: grid;
  place-items: center;
  position: relative;
  width: 58px;
  height: 58px;
  margin-left: auto;
  border: 0;
  border-radius: 50%;
  background: var(--accent);
  color: #fff;
  box-shadow: 0 8px 24px rgba(15, 118, 110, 0.35), 0 2px 6px rgba(0, 0, 0, 0.15);
  transition: transform 0.15s ease, background 0.15s ease;
}
.launcher:hover { background: var(--accent-hover); transform: translateY(-1px) scale(1.04); }
.launcher:focus-visible { outline-color: var(--accent-hover); outline-offset: 3px; }
.badge {
  position: absolute;
  top: -3px;
  right: -3px;
  min-width: 20px;
  height: 20px;
  padding: 0 6px;
  border-radius: 10px;
  background: #e03131;
  color: #fff;
  font-size: 12px;
  font-weight: 700;
  line-height: 20px;
  text-align: center;
  box-shadow: 0 0 0 2px #fff;
}

.panel {
  position: absolute;
  right: 0;
  bottom: 74px;
  display: flex;
  flex-direction: column;
  width: 372px;
  height: min(640px, calc(100vh - 120px));
  overflow: hidden;
  border-radius: 16px;
  background: var(--surface);
  box-shadow: 0 16px 48px rgba(0, 0, 0, 0.18), 0 2px 8px rgba(0, 0, 0, 0.08);
  animation: rise 0.18s ease-out;
}

.header {
  display: flex;
  align-items: center;
  gap: 10px;
  padding: 14px 10px 14px 16px;
  background: var(--accent);
  color: #fff;
}
.avatar {
  display: grid;
  place-items: center;
  flex: none;
  width: 36px;
  height: 36px;
  border-radius: 50%;
  background: rgba(255, 255, 255, 0.18);
}
.titles { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 16px; font-weight: 700; letter-spacing: -0.01em; }
.agent {
  margin: 0;
  overflow: hidden;
  font-size: 12px;
  opacity: 0.9;
  white-space: nowrap;
  text-overflow: ellipsis;
}
.agent:empty::before { content: attr(data-subtitle); }
.handoff {
  flex: none;
  padding: 5px 12px;
  border: 1px solid rgba(255, 255, 255, 0.65);
  border-radius: 999px;
  background: transparent;
  color: #fff;
  font-size: 13px;
  white-space: nowrap;
}
.handoff:hover { background: rgba(255, 255, 255, 0.16); }
.handoff:focus-visible, .icon-btn:focus-visible { outline-color: #fff; }
.icon-btn {
  display: grid;
  place-items: center;
  flex: none;
  width: 34px;
  height: 34px;
  border: 0;
  border-radius: 8px;
  background: transparent;
  color: inherit;
}
.icon-btn:hover { background: rgba(255, 255, 255, 0.16); }
.icon-btn[aria-pressed="true"] { opacity: 0.75; }

.banner {
  padding: 6px 12px;
  background: #fff4e6;
  color: #8a4b00;
  font-size: 12px;
  text-align: center;
  opacity: 0;
  animation: appear 0.2s ease 0.8s forwards; /* do not flash for sub-second reconnects */
}

.messages {
  display: flex;
  flex: 1;
  flex-direction: column;
  gap: 10px;
  margin: 0;
  padding: 16px 14px 10px;
  overflow-y: auto;
  overscroll-behavior: contain;
  list-style: none;
  background: var(--canvas);
}
.messages:focus-visible { outline-offset: -2px; }
.intro {
  align-self: flex-start;
  max-width: 85%;
  padding: 10px 14px;
  border: 1px solid var(--border);
  border-radius: 16px 16px 16px 4px;
  background: var(--surface);
}
.quick { align-self: flex-start; max-width: 92%; }
.quick .chips { margin-top: 0; }
.msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 84%; }
.msg--visitor { align-self: flex-end; align-items: flex-end; }
.msg--system { align-self: center; align-items: center; max-width: 92%; }
.sender { margin: 0 0 3px 4px; color: var(--muted); font-size: 12px; }
.bubble {
  padding: 9px 13px;
  border: 1px solid var(--border);
  border-radius: 16px 16px 16px 4px;
  background: var(--surface);
  white-space: pre-wrap;
  word-break: keep-all;
  overflow-wrap: anywhere;
}
.msg--visitor .bubble {
  border-color: transparent;
  border-radius: 16px 16px 4px 16px;
  background: var(--accent);
  color: #fff;
}
.msg--system .bubble {
  padding: 2px 10px;
  border: 0;
  background: transparent;
  color: var(--muted);
  font-size: 12px;
  text-align: center;
}
.msg[data-pending] .bubble { opacity: 0.55; }
.msg[data-grouped] { margin-top: -6px; }
.bubble a { color: inherit; text-decoration: underline; overflow-wrap: anywhere; }
.text[data-formatted] { display: block; white-space: normal; }
.text[data-formatted] p, .text[data-formatted] ul { margin: 0; }
.text[data-formatted] > * + * { margin-top: 0.5em; }
.text[data-formatted] ul { padding-left: 1.2em; }
.msg[data-failed] .bubble { border-color: #ffc9c9; background: #fff5f5; color: #c92a2a; }
.meta { margin: 3px 4px 0; color: var(--muted); font-size: 11px; }
.note { margin: 3px 4px 0; color: #c92a2a; font-size: 12px; }
.note .retry { font: inherit; color: var(--accent); background: none; border: 0; padding: 0 2px; cursor: pointer; text-decoration: underline; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.chip {
  padding: 6px 12px;
  border: 1px solid var(--accent);
  border-radius: 999px;
  background: var(--surface);
  color: var(--accent);
  font-size: 13px;
  text-align: left;
  transition: background 0.12s ease;
}
.chip:hover { background: var(--accent-soft); }
.chip--action { background: var(--accent); color: #fff; }
.chip--action:hover { background: var(--accent-hover); }
.chip--submit { margin-top: 8px; background: var(--accent); color: #fff; }
.chip--submit:disabled { opacity: 0.5; cursor: default; }

.root[data-position="left"] { right: auto; left: 20px; }
.root[data-position="left"] .launcher { margin-left: 0; }
.root[data-position="left"] .panel { right: auto; left: 0; }
.file { position: absolute; width: 1px; height: 1px; opacity: 0; pointer-events: none; }
.attach { color: var(--muted); }
.bubble--image { padding: 4px; }
.bubble--image .image { display: block; max-width: 220px; max-height: 240px; border-radius: 10px; }
.bubble--image .caption { display: block; padding: 2px 6px 0; font-size: 11px; opacity: 0.8; }
.avatar img { width: 100%; height: 100%; border-radius: 50%; object-fit: cover; }
.root[data-form] :is(.messages, .composer, .typing) { display: none; }
.form-slot:empty { display: none; }
.form-slot { flex: 1; overflow-y: auto; padding: 14px 16px; background: var(--canvas); }
.form h3 { margin: 0 0 10px; font-size: 15px; }
.form p { margin: 0 0 10px; }
.field { margin-bottom: 10px; }
.field label { display: block; margin-bottom: 3px; font-size: 13px; font-weight: 600; }
.req { margin-left: 4px; color: var(--muted); font-weight: 400; }
.field input, .field textarea {
  display: block;
  width: 100%;
  padding: 8px 10px;
  border: 1px solid var(--border);
  border-radius: 8px;
  background: var(--surface);
  color: var(--ink);
  font: inherit;
}
.field [aria-invalid="true"], .check [aria-invalid="true"] { outline: 2px solid #c92a2a; }
.consent { margin: 8px 0; font-size: 12px; }
.privacy { color: var(--muted); white-space: pre-wrap; }
.consent a { color: var(--accent); }
.check { display: flex; gap: 8px; align-items: flex-start; margin-top: 6px; font-size: 13px; }
.form-error { color: #c92a2a; font-size: 13px; }
.form-actions { display: flex; gap: 8px; justify-content: flex-end; }
.thumbs { display: flex; align-items: center; gap: 4px; margin: 4px 4px 0; color: var(--muted); font-size: 12px; }
.thumb {
  min-width: 32px;
  min-height: 28px;
  padding: 2px 6px;
  border: 1px solid var(--border);
  border-radius: 999px;
  background: var(--surface);
  font-size: 14px;
  line-height: 1;
}
.thumb[aria-pressed="true"] { border-color: var(--accent); background: var(--accent-soft); }
.csat {
  align-self: stretch;
  margin: 8px 0;
  padding: 12px;
  border: 1px solid var(--border);
  border-radius: 12px;
  background: var(--surface);
  list-style: none;
}
.csat-q { margin: 0 0 8px; font-weight: 600; }
.csat-thanks { margin: 0; color: var(--accent); font-weight: 600; text-align: center; }
.scores { display: flex; flex-wrap: wrap; gap: 4px; }
.score {
  min-width: 32px;
  min-height: 32px;
  border: 1px solid var(--border);
  border-radius: 8px;
  background: var(--surface);
  color: var(--muted);
  font-size: 18px;
}
.score--nps { font-size: 13px; }
.score[aria-pressed="true"] { border-color: var(--accent); background: var(--accent); color: #fff; }
.nps-ends { display: flex; justify-content: space-between; margin: 4px 0 0; color: var(--muted); font-size: 11px; }
.comment {
  display: block;
  width: 100%;
  margin-top: 8px;
  padding: 6px 8px;
  border: 1px solid var(--border);
  border-radius: 8px;
  font: inherit;
  font-size: 13px;
  resize: vertical;
}
/* The in-message handoff offer is moot once a person is on the way. */
.root:is([data-state="queued"], [data-state="assigned"]) .chip--action { display: none; }

.typing {
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 4px 16px 6px;
  background: var(--canvas);
  color: var(--muted);
  font-size: 12px;
}
.dots { display: inline-flex; gap: 3px; }
.dots i {
  width: 5px;
  height: 5px;
  border-radius: 50%;
  background: currentColor;
  animation: blink 1.2s infinite ease-in-out;
}
.dots i:nth-child(2) { animation-delay: 0.15s; }
.dots i:nth-child(3) { animation-delay: 0.3s; }

.status {
  padding: 8px 14px;
  border-top: 1px solid var(--border);
  background: var(--accent-soft);
  color: #0b5f57;
  font-size: 12.5px;
  text-align: center;
}
.status:empty { display: none; }

.composer {
  display: flex;
  align-items: flex-end;
  gap: 8px;
  padding: 10px 10px 10px 16px;
  border-top: 1px solid var(--border);
  background: var(--surface);
}
.composer textarea {
  flex: 1;
  max-height: 120px;
  padding: 8px 0;
  border: 0;
  outline: none;
  background: transparent;
  color: inherit;
  font: inherit;
  resize: none;
}
.composer textarea::placeholder { color: #9aa1a9; }
.composer:focus-within { box-shadow: inset 0 2px 0 var(--accent); }
.send {
  display: grid;
  place-items: center;
  flex: none;
  width: 38px;
  height: 38px;
  border: 0;
  border-radius: 50%;
  background: var(--accent);
  color: #fff;
}
.send:hover { background: var(--accent-hover); }

@keyframes rise { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
@keyframes appear { to { opacity: 1; } }
@keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }

@media (max-width: 479.98px) {
  /* Full screen on phones; env(safe-area-inset-*) keeps clear of notches and the home bar
     (non-zero when the page's viewport meta has viewport-fit=cover). */
  .root {
    right: calc(16px + env(safe-area-inset-right, 0px));
    bottom: calc(16px + env(safe-area-inset-bottom, 0px));
  }
  .panel {
    position: fixed;
    inset: 0;
    width: 100%;
    height: 100%;
    max-height: none;
    border-radius: 0;
    animation: none;
  }
  .header {
    padding-top: calc(14px + env(safe-area-inset-top, 0px));
    padding-left: calc(16px + env(safe-area-inset-left, 0px));
    padding-right: calc(10px + env(safe-area-inset-right, 0px));
  }
  .banner, .typing, .status {
    padding-left: calc(16px + env(safe-area-inset-left, 0px));
    padding-right: calc(16px + env(safe-area-inset-right, 0px));
  }
  .messages {
    padding-left: calc(14px + env(safe-area-inset-left, 0px));
    padding-right: calc(14px + env(safe-area-inset-right, 0px));
  }
  .composer {
    padding-left: calc(16px + env(safe-area-inset-left, 0px));
    padding-right: calc(10px + env(safe-area-inset-right, 0px));
    padding-bottom: calc(10px + env(safe-area-inset-bottom, 0px));
  }
  .root[data-open] .launcher { display: none; }
}

/* Below 16px iOS zooms the page when an input gets focus: phones, and any touch screen. */
@media (max-width: 479.98px), (pointer: coarse) {
  .composer textarea, .form input, .form textarea, .comment { font-size: 16px; }
}

@media (prefers-reduced-motion: reduce) {
  .panel, .dots i, .launcher { animation: none; transition: none; }
  .banner { animation: none; opacity: 1; }
}
`;

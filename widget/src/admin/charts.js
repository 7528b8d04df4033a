// Charts drawn as SVG by hand (no library, no CDN): vertical bars with an axis, and labelled
// horizontal bars. Labels and values go in as text nodes only; geometry comes from insights.js.

import { barLayout, niceMax } from './insights.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text != null) node.textContent = String(text);
  return node;
}

/**
 * Vertical bars: one per value, the label under every `labelEvery`-th bar, a tooltip per bar.
 * The <svg> carries data-chart (the name) and data-bars (how many).
 */
export function barChart(name, title, values, labels, { labelEvery = 1, width = 640, height = 220 } = {}) {
  const layout = barLayout(values, labels, { width, height });
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', 'data-chart': name,
    'data-bars': values.length, preserveAspectRatio: 'xMidYMid meet' });
  svg.append(el('title', {}, title));
  for (const tick of [0, layout.max / 2, layout.max]) {
    const y = layout.plotBottom - (tick / layout.max) * (layout.plotBottom - layout.plotTop);
    svg.append(el('line', { x1: layout.left, x2: width, y1: y, y2: y, class: 'chart__grid' }));
    svg.append(el('text', { x: layout.left - 4, y: y + 4, 'text-anchor': 'end', class: 'chart__tick' }, tick));
  }
  layout.bars.forEach((bar, i) => {
    const rect = el('rect', { x: bar.x, y: bar.y, width: bar.width, height: Math.max(bar.height, 0), class: 'chart__bar',
      'data-value': bar.value });
    rect.append(el('title', {}, `${bar.label}: ${bar.value}`));
    svg.append(rect);
    if (i % labelEvery === 0) {
      svg.append(el('text', { x: bar.x + bar.width / 2, y: height - 8, 'text-anchor': 'middle', class: 'chart__label' }, bar.label));
    }
  });
  return svg;
}

/** Horizontal bars with the label on the left and the value on the right; rows = [{label, value}]. */
export function hbarChart(name, title, rows, { width = 640, row = 26, labelWidth = 220, format = (v) => v } = {}) {
  const height = Math.max(row, rows.length * row) + 8;
  const max = niceMax(Math.max(0, ...rows.map((r) => r.value)));
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart chart--h', 'data-chart': name,
    'data-bars': rows.length });
  svg.append(el('title', {}, title));
  const plot = width - labelWidth - 70;
  rows.forEach((r, i) => {
    const y = 4 + i * row;
    const label = r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label;
    svg.append(el('text', { x: labelWidth - 6, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'chart__label' }, label));
    const rect = el('rect', { x: labelWidth, y: y + 3, width: Math.max(1, (r.value / max) * plot), height: row - 8,
      class: 'chart__bar', 'data-value': r.value });
    rect.append(el('title', {}, `${r.label}: ${format(r.value)}`));
    svg.append(rect);
    svg.append(el('text', { x: labelWidth + Math.max(1, (r.value / max) * plot) + 6, y: y + row / 2 + 4, class: 'chart__value' },
      format(r.value)));
  });
  return svg;
}

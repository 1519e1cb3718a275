// Charts: thin wrappers over uPlot (line and bar charts that take the
// worker's Float64Arrays as they are) and a small canvas heatmap of our own
// (uPlot has none). Charts follow their container's width, and report each
// finished draw (for the slider → redraw timings).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmtCompact } from './i18n.js';

export const COLORS = {
  publicExposure: '#d9480f', privateExposure: '#1c7ed6', followers: '#2f9e44',
  firstPurchases: '#e67700', repurchases: '#7048e8', gmv: '#c2255c', grey: '#868e96',
  live: '#e03131', bigDay: '#5f3dc4',
};

const drawListeners = new Set();
/** fn(chartName) after any chart finishes drawing. */
export function onChartDraw(fn) { drawListeners.add(fn); return () => drawListeners.delete(fn); }

function widthOf(el) { return Math.max(260, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 600)); }

/**
 * A uPlot chart in `el`. series: [{ label, color, dash?, width?, fill? }] (the
 * x series is implicit). opts: { name, height, xLabel, yLabel, bars, xRange,
 * yRange, percentX, percentY, marks, live, xValue }. `live()` returns the
 * per-point flags of the live days ({ on }), drawn as a strip of ticks just
 * under the plot (and faint bands when the sessions leave gaps);
 * `xValue(v)` formats the x value in the legend.
 */
export function lineChart(el, series, opts = {}) {
  const height = opts.height ?? 220;
  const fy = opts.percentY ? (v) => `${Math.round(v * 100)}%` : (v) => fmtCompact(v);
  const fx = opts.percentX ? (v) => `${Math.round(v * 100)}%` : (v) => fmtCompact(v);
  let liveMarks = 0;
  const u = new uPlot({
    width: widthOf(el),
    height,
    legend: { show: opts.legend ?? true },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: {
      x: { time: false, ...(opts.xRange ? { range: opts.xRange } : {}) },
      y: opts.yRange ? { range: opts.yRange } : { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] },
      ...(opts.rightScale ? { y2: { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] } } : {}),
    },
    axes: [
      { label: opts.xLabel, values: (u, s) => s.map(fx), ...(opts.xInt ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : {}), size: 36, labelSize: 18, font: '11px system-ui, sans-serif', labelFont: '12px system-ui, sans-serif',
        // a lane under the plot for the live-day strip: short ticks, the labels further down
        ...(opts.live ? { size: 46, ticks: { size: 3 }, gap: 13 } : {}) },
      { label: opts.yLabel, values: (u, s) => s.map(fy), size: 56, labelSize: 18, font: '11px system-ui, sans-serif', labelFont: '12px system-ui, sans-serif',
        ...(opts.rightScale ? { stroke: series[0].color } : {}) },
      ...(opts.rightScale ? [{ scale: 'y2', side: 1, grid: { show: false }, values: (u, s) => s.map(fy), size: 52, stroke: opts.rightColor, font: '11px system-ui, sans-serif' }] : []),
    ],
    series: [
      { label: opts.xLabel ?? 'x', value: (u, v) => (v == null ? '–' : opts.xValue ? opts.xValue(v) : fx(v)) },
      ...series.map((s, i) => ({
        label: s.label,
        ...(opts.rightScale?.includes(i + 1) ? { scale: 'y2' } : {}),
        stroke: s.color,
        width: s.width ?? 2,
        dash: s.dash,
        fill: s.fill,
        points: { show: opts.points ?? false },
        value: (u, v) => (v == null ? '–' : fy(v)),
        ...(opts.bars ? { paths: uPlot.paths.bars({ size: [0.9, 60] }), fill: s.fill ?? s.color + '99', points: { show: false } } : {}),
      })),
    ],
    hooks: {
      // under the series: the live days' bands
      drawAxes: [(u) => { if (opts.live) drawLiveBands(u, opts.live()); }],
      draw: [(u) => {
        if (opts.live) liveMarks = drawLiveStrip(u, opts.live());
        if (opts.marks) drawMarks(u, opts.marks());
        for (const fn of drawListeners) fn(opts.name);
      }],
    },
  }, [new Float64Array(0), ...series.map(() => new Float64Array(0))], el);
  const ro = new ResizeObserver(() => {
    const w = widthOf(el);
    if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height });
  });
  ro.observe(el);
  return {
    u,
    /** Live-day ticks drawn in the last draw. */
    get liveMarks() { return liveMarks; },
    setData(data) { u.setData(data); },
    redraw() { u.redraw(false, false); },
    destroy() { ro.disconnect(); u.destroy(); },
  };
}

/** The pixel span [x0, x1) of point i (a day), clipped to the plot. */
function daySpan(u, i) {
  const xs = u.data[0];
  const half = xs.length > 1 ? (xs[Math.min(i + 1, xs.length - 1)] - xs[Math.max(i - 1, 0)]) / (i > 0 && i < xs.length - 1 ? 4 : 2) : 0.5;
  const left = u.bbox.left, right = u.bbox.left + u.bbox.width;
  const x0 = Math.max(left, u.valToPos(xs[i] - half, 'x', true));
  const x1 = Math.min(right, u.valToPos(xs[i] + half, 'x', true));
  return [x0, x1];
}

/** Faint full-height bands on live days, when the sessions leave gaps wide enough to see (not for daily sessions). */
function drawLiveBands(u, live) {
  const on = live?.on;
  const n = u.data[0]?.length ?? 0;
  if (!on || !n) return;
  let count = 0;
  for (let i = 0; i < n; i++) if (on[i] > 0) count++;
  const dayPx = u.bbox.width / n / devicePixelRatio;
  if (!count || count > 0.75 * n || dayPx < 2.5) return;
  const { ctx } = u;
  ctx.save();
  ctx.fillStyle = 'rgba(224,49,49,0.08)';
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    if (!(on[i] > 0)) continue;
    const [x0, x1] = daySpan(u, i);
    if (x1 > x0) ctx.rect(x0, u.bbox.top, x1 - x0, u.bbox.height);
  }
  ctx.fill();
  ctx.restore();
}

/** A tick for every live day, just under the plot; returns how many were drawn. */
function drawLiveStrip(u, live) {
  const on = live?.on;
  const n = u.data[0]?.length ?? 0;
  if (!on || !n) return 0;
  const { ctx } = u;
  const dpr = devicePixelRatio;
  // in its own lane just under the plot (the x axis leaves room for it), so it hides no data
  const hgt = 6 * dpr;
  const y = u.bbox.top + u.bbox.height + 5 * dpr;
  ctx.save();
  ctx.fillStyle = COLORS.live;
  ctx.beginPath();
  let drawn = 0;
  for (let i = 0; i < n; i++) {
    if (!(on[i] > 0)) continue;
    const [x0, x1] = daySpan(u, i);
    // a 1-pixel gap between neighbouring days, so daily sessions read as a row of ticks
    const w = Math.max(dpr, x1 - x0 - (x1 - x0 > 3 * dpr ? dpr : 0));
    ctx.rect(Math.round(x0), y, Math.round(w), hgt);
    drawn++;
  }
  ctx.fill();
  ctx.restore();
  return drawn;
}

/** Vertical marker lines: [{ x, color, label }] in data units. */
function drawMarks(u, marks) {
  if (!marks?.length) return;
  const { ctx } = u;
  ctx.save();
  for (const m of marks) {
    if (!Number.isFinite(m.x)) continue;
    const x = Math.round(u.valToPos(m.x, 'x', true));
    ctx.strokeStyle = m.color; ctx.lineWidth = 2 * devicePixelRatio; ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
    if (m.label) {
      ctx.setLineDash([]); ctx.fillStyle = m.color; ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
      const w = ctx.measureText(m.label).width;
      const tx = Math.min(x + 4 * devicePixelRatio, u.bbox.left + u.bbox.width - w - 2);
      ctx.fillText(m.label, tx, u.bbox.top + 14 * devicePixelRatio);
    }
  }
  ctx.restore();
}

// ---------------------------------------------------------------- heatmap

// a perceptually even sequential scale (viridis stops)
const STOPS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
export function colorAt(t) {
  const x = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const c = STOPS[i].map((v, k) => Math.round(v + (STOPS[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/**
 * A heatmap of values[row * cols + col] with rows = y (content quality,
 * bottom to top) and cols = x (follow rate). marker = { x, y } in axis units.
 * onPick(x, y) when a cell is clicked.
 */
export function heatmap(el, { onPick, onHover } = {}) {
  const canvas = document.createElement('canvas');
  canvas.className = 'heatmap';
  el.append(canvas);
  const pad = { left: 64, right: 16, top: 12, bottom: 50 };
  const barW = 14;
  let data = null;
  let labels = { x: '', y: '', value: '' };
  let marker = null;

  function geometry() {
    const w = Math.max(280, el.clientWidth);
    const h = Math.min(480, Math.max(260, Math.round(w * 0.62)));
    return { w, h, pw: w - pad.left - pad.right - barW - 70, ph: h - pad.top - pad.bottom };
  }

  function draw() {
    const { w, h, pw, ph } = geometry();
    const dpr = devicePixelRatio || 1;
    canvas.width = w * dpr; canvas.height = h * dpr;
    canvas.style.width = `${w}px`; canvas.style.height = `${h}px`;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, "Noto Sans CJK SC", sans-serif';
    ctx.fillStyle = '#495057';
    if (!data) return;
    const { rows, cols, values, xs, ys } = data;
    let lo = Infinity, hi = -Infinity;
    for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    // heavy-tailed totals (exposure, GMV) get a log colour scale, or one cell would wash out the rest
    const log = lo > 0 && hi / lo > 30;
    const tf = log ? Math.log : (v) => v;
    const tlo = tf(lo);
    const span = tf(hi) - tlo || 1;
    const norm = (v) => (tf(Math.max(v, lo)) - tlo) / span;
    data.log = log;
    const cw = pw / cols, ch = ph / rows;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        ctx.fillStyle = colorAt(norm(values[i * cols + j]));
        ctx.fillRect(pad.left + j * cw, pad.top + (rows - 1 - i) * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
    // axes
    ctx.fillStyle = '#495057';
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    const step = Math.max(1, Math.ceil(cols / 6));
    for (let j = 0; j < cols; j += step) ctx.fillText(`${+(xs[j] * 100).toFixed(1)}%`, pad.left + (j + 0.5) * cw, pad.top + ph + 4);
    ctx.fillText(labels.x, pad.left + pw / 2, pad.top + ph + 24);
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    const stepY = Math.max(1, Math.ceil(rows / 6));
    for (let i = 0; i < rows; i += stepY) ctx.fillText(`${Math.round(ys[i] * 100)}%`, pad.left - 6, pad.top + (rows - 1 - i + 0.5) * ch);
    ctx.save(); ctx.translate(14, pad.top + ph / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText(labels.y, 0, 0); ctx.restore();
    // colour bar
    const bx = pad.left + pw + 14;
    for (let k = 0; k < ph; k++) { ctx.fillStyle = colorAt(1 - k / ph); ctx.fillRect(bx, pad.top + k, barW, 1); }
    ctx.fillStyle = '#495057'; ctx.textAlign = 'left'; ctx.textBaseline = 'top';
    ctx.fillText(fmtCompact(hi), bx + barW + 4, pad.top);
    ctx.textBaseline = 'bottom';
    ctx.fillText(fmtCompact(lo), bx + barW + 4, pad.top + ph);
    ctx.textBaseline = 'middle';
    ctx.fillText(fmtCompact(log ? Math.sqrt(lo * hi) : (lo + hi) / 2), bx + barW + 4, pad.top + ph / 2);
    if (log && labels.log) { ctx.save(); ctx.translate(bx + barW + 48, pad.top + ph / 2); ctx.rotate(Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText(labels.log, 0, 0); ctx.restore(); }
    // the merchant's point
    if (marker) {
      const at = (v, axis) => (v - axis[0]) / ((axis[axis.length - 1] - axis[0]) || 1);
      const mx = pad.left + (Math.min(1, Math.max(0, at(marker.x, xs))) * (cols - 1) + 0.5) * cw;
      const my = pad.top + (rows - 1 - Math.min(1, Math.max(0, at(marker.y, ys))) * (rows - 1) + 0.5) * ch;
      ctx.lineWidth = 3; ctx.strokeStyle = '#fff';
      ctx.beginPath(); ctx.arc(mx, my, 9, 0, 2 * Math.PI); ctx.stroke();
      ctx.lineWidth = 2; ctx.strokeStyle = '#d9480f';
      ctx.beginPath(); ctx.arc(mx, my, 9, 0, 2 * Math.PI); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(mx - 14, my); ctx.lineTo(mx - 5, my); ctx.moveTo(mx + 5, my); ctx.lineTo(mx + 14, my);
      ctx.moveTo(mx, my - 14); ctx.lineTo(mx, my - 5); ctx.moveTo(mx, my + 5); ctx.lineTo(mx, my + 14); ctx.stroke();
    }
  }

  function cellAt(ev) {
    if (!data) return null;
    const { pw, ph } = geometry();
    const rect = canvas.getBoundingClientRect();
    const px = ev.clientX - rect.left - pad.left, py = ev.clientY - rect.top - pad.top;
    if (px < 0 || py < 0 || px >= pw || py >= ph) return null;
    const j = Math.floor(px / (pw / data.cols));
    const i = data.rows - 1 - Math.floor(py / (ph / data.rows));
    return { i, j, x: data.xs[j], y: data.ys[i], value: data.values[i * data.cols + j] };
  }
  canvas.addEventListener('click', (ev) => { const c = cellAt(ev); if (c) onPick?.(c.x, c.y); });
  canvas.addEventListener('mousemove', (ev) => onHover?.(cellAt(ev)));
  canvas.addEventListener('mouseleave', () => onHover?.(null));
  const ro = new ResizeObserver(() => draw());
  ro.observe(el);

  return {
    canvas,
    set(d, l, m) { data = d; if (l) labels = l; marker = m; draw(); for (const fn of drawListeners) fn('heatmap'); },
    setMarker(m) { marker = m; draw(); },
    destroy() { ro.disconnect(); canvas.remove(); },
  };
}

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { createRpc } from './rpc.js';

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const call = createRpc(worker);
const $ = (id) => document.getElementById(id);
const pct = (x) => `${(100 * x).toFixed(1)}%`;

const params = new URLSearchParams(location.search);
const state = { creators: 10_000, sigma: Number(params.get('sigma') ?? 1.5), seed: 42 };
$('sigma').value = String(state.sigma);

let chart;
function draw(population, share) {
  const data = [population, share, population];
  if (chart) { chart.setData(data); return; }
  const el = $('lorenz-chart');
  chart = new uPlot({
    width: Math.min(720, el.clientWidth || 720), height: 320,
    scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
    axes: [{ label: '创作者累计占比 creators' }, { label: '曝光累计占比 exposure' }],
    series: [{ label: 'p' }, { label: '洛伦兹 Lorenz', stroke: '#d9480f', width: 2, fill: 'rgba(217,72,15,0.08)' }, { label: '均等 equality', stroke: '#868e96', dash: [4, 4] }],
  }, data, el);
  window.shijingCharts = { lorenz: chart };
}

async function refresh() {
  $('sigma-value').textContent = state.sigma.toFixed(2);
  try {
    const r = await call('exposureSummary', [state], 'exposure');
    if (!r) return; // a newer request is on its way
    $('gini').textContent = r.gini.toFixed(4);
    $('top10').textContent = pct(r.top10);
    $('bottom50').textContent = pct(r.bottom50);
    draw(r.population, r.share);
    $('error').hidden = true;
    document.body.dataset.ready = '1';
  } catch (e) {
    $('error').textContent = `出错了 Error: ${e.message}`;
    $('error').hidden = false;
  }
}

$('sigma').addEventListener('input', (e) => {
  state.sigma = Number(e.target.value);
  history.replaceState(null, '', `?sigma=${state.sigma}`);
  refresh();
});
refresh();

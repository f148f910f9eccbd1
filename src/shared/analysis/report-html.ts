// Runs everywhere (shared): the self-contained HTML report of an analysis. Chart.js (its UMD build, passed in as
// text by the caller) and the data are inlined, so the file opens offline from anywhere: speed over time, the
// court with hit positions and landing points, and a map of where the shuttle landed (a plain canvas). Every
// speed is of the analysis' one definition, named above the chart.
import { COURT_LENGTH, COURT_WIDTH, courtLines } from './court'
import type { MatchAnalysis } from './types'

/** Text safe inside a <script> element: no "</script" and no HTML comment openers. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')
}

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

export interface ReportMeta {
  title: string
  track: string
  video: string
  generated: string
}

// The page's own script: reads the embedded data and draws. Kept as plain ES2017 so any browser runs it.
const PAGE_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('analysis-data').textContent);
  var a = data.analysis, lines = data.lines, W = data.court.width, L = data.court.length;
  var hits = a.hits.filter(function (h) { return h.speedKmh !== null; });
  var colour = { 'height-corrected': '#1f77b4', 'court-plane': '#ff7f0e' };
  var groups = {};
  hits.forEach(function (h) { (groups[h.assumption] = groups[h.assumption] || []).push({ x: h.time, y: h.speedKmh }); });
  new Chart(document.getElementById('speed'), {
    type: 'scatter',
    data: { datasets: Object.keys(groups).map(function (k) { return { label: k, data: groups[k], backgroundColor: colour[k] }; }) },
    options: { animation: false, scales: { x: { title: { display: true, text: 'time (s)' } }, y: { title: { display: true, text: 'speed (km/h)' }, beginAtZero: true } } }
  });
  var courtSets = lines.map(function (l) { return { data: [{ x: l.a[0], y: l.a[1] }, { x: l.b[0], y: l.b[1] }], showLine: true, borderColor: l.kind === 'net' ? '#444' : '#999', borderWidth: l.kind === 'net' ? 2 : 1, pointRadius: 0, label: '' }; });
  var near = a.hits.filter(function (h) { return h.courtX !== null && h.playerSide === 'near'; }).map(function (h) { return { x: h.courtX, y: h.courtY }; });
  var far = a.hits.filter(function (h) { return h.courtX !== null && h.playerSide !== 'near'; }).map(function (h) { return { x: h.courtX, y: h.courtY }; });
  var land = a.landings.filter(function (l) { return l.courtX !== null; }).map(function (l) { return { x: l.courtX, y: l.courtY }; });
  new Chart(document.getElementById('court'), {
    type: 'scatter',
    data: { datasets: courtSets.concat([
      { label: 'hits (near player)', data: near, backgroundColor: '#1f77b4' },
      { label: 'hits (far player)', data: far, backgroundColor: '#2ca02c' },
      { label: 'landings', data: land, backgroundColor: '#d62728', pointStyle: 'crossRot', pointRadius: 7, borderColor: '#d62728' }
    ]) },
    options: { animation: false, aspectRatio: (W + 3) / (L + 3), plugins: { legend: { labels: { filter: function (i) { return i.text !== ''; } } } },
      scales: { x: { min: -1.5, max: W + 1.5, title: { display: true, text: 'across (m)' } }, y: { min: -1.5, max: L + 1.5, title: { display: true, text: 'along (m), camera side at 0' } } } }
  });
  var hm = a.heatmap, cv = document.getElementById('heatmap');
  if (!hm) { cv.replaceWith(document.createTextNode('No calibration: no heatmap.')); return; }
  var s = 24, ctx = cv.getContext('2d');
  cv.width = Math.round((hm.cols * hm.cell) * s); cv.height = Math.round((hm.rows * hm.cell) * s);
  var max = Math.max.apply(null, hm.counts.concat([1]));
  for (var r = 0; r < hm.rows; r++) for (var c = 0; c < hm.cols; c++) {
    var v = hm.counts[r * hm.cols + c] / max; if (!v) continue;
    ctx.fillStyle = 'rgba(214,39,40,' + (0.15 + 0.85 * Math.sqrt(v)).toFixed(3) + ')';
    ctx.fillRect(c * hm.cell * s, cv.height - (r + 1) * hm.cell * s, hm.cell * s + 0.5, hm.cell * s + 0.5);
  }
  ctx.strokeStyle = '#333'; ctx.lineWidth = 1;
  lines.forEach(function (l) {
    ctx.beginPath();
    ctx.moveTo((l.a[0] - hm.x0) * s, cv.height - (l.a[1] - hm.y0) * s);
    ctx.lineTo((l.b[0] - hm.x0) * s, cv.height - (l.b[1] - hm.y0) * s);
    ctx.stroke();
  });
})();
`

export function reportHtml(a: MatchAnalysis, meta: ReportMeta, chartJsSource: string): string {
  const payload = { analysis: a, lines: courtLines(), court: { width: COURT_WIDTH, length: COURT_LENGTH } }
  const json = JSON.stringify(payload).replace(/</g, '\\u003c')
  const rallyRows = a.rallies
    .map((r) => {
      const land =
        r.landing.courtX === null ? '—' : `${r.landing.courtX.toFixed(2)}, ${r.landing.courtY!.toFixed(2)}`
      const speeds = r.hits.map((h) => (h.speedKmh === null ? '—' : h.speedKmh.toFixed(0))).join(' · ')
      return `<tr><td>${r.index + 1}</td><td>${r.startTime.toFixed(2)}–${r.endTime.toFixed(2)}</td><td>${r.shotCount}</td><td>${land}${r.landing.inCourt === false ? ' (out)' : ''}${r.landing.atRest ? '' : ' (last seen)'}</td><td>${speeds}</td></tr>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(meta.title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px} table{border-collapse:collapse} td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}
.grid{display:grid;grid-template-columns:2fr 1fr 1fr;gap:24px;align-items:start} canvas{max-width:100%}
.note{color:#555;font-size:12px}
</style></head><body>
<h1>${esc(meta.title)}</h1>
<p class="note">Track ${esc(meta.track)} · video ${esc(meta.video)} · ${a.fps.toFixed(3)} fps · ${a.frameCount} frames · ${a.calibrated ? 'calibrated' : 'not calibrated'} · generated ${esc(meta.generated)}</p>
<p>${a.rallies.length} rallies, ${a.hits.length} hits.</p>
<div class="grid">
<section><h2>Speed after each hit</h2><p class="note">${esc(a.speed ? a.speed.label : 'No speeds: no calibration.')}</p><canvas id="speed"></canvas></section>
<section><h2>Court: hits and landings</h2><canvas id="court"></canvas></section>
<section><h2>Where the shuttle landed</h2><canvas id="heatmap"></canvas></section>
</div>
<h2>Rallies</h2>
<table><thead><tr><th>#</th><th>time (s)</th><th>shots</th><th>landing (m)</th><th>speeds (km/h)</th></tr></thead><tbody>
${rallyRows}
</tbody></table>
<h2>Assumptions</h2><ul class="note">${a.assumptions.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<script type="application/json" id="analysis-data">${json}</script>
<script>${scriptSafe(chartJsSource)}</script>
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body></html>
`
}

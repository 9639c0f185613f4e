/**
 * The operator page: one self-contained HTML document (no build step, no external assets),
 * kept live by server-sent events from /api/events. Text is inserted with textContent only,
 * so nothing from a message can become markup.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sf-relay</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f23; background: #f6f8fa; }
  h1 { font-size: 20px; margin: 0 0 16px; } h2 { font-size: 15px; margin: 24px 0 8px; }
  .counts { display: flex; gap: 12px; flex-wrap: wrap; }
  .count { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 16px; min-width: 110px; }
  .count b { display: block; font-size: 24px; } .count.dead b { color: #cf222e; } .count.done b { color: #1a7f37; }
  table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d0d7de; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #eaeef2; font-size: 13px; }
  th { background: #f6f8fa; } td.error { color: #cf222e; max-width: 480px; overflow-wrap: anywhere; }
  svg { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
  button { cursor: pointer; } .muted { color: #57606a; }
</style>
</head>
<body>
<h1>sf-relay <span class="muted" id="status">connecting…</span></h1>
<div class="counts" id="counts"></div>
<h2>Finished per 10 seconds, last 10 minutes</h2>
<svg id="chart" width="600" height="80" role="img" aria-label="throughput"></svg>
<h2>Dead and held notifications</h2>
<table><thead><tr><th>Notification</th><th>Record</th><th>Tries</th><th>Reason</th><th></th></tr></thead><tbody id="dead"></tbody></table>
<h2>Recent notifications</h2>
<table><thead><tr><th>Notification</th><th>Object</th><th>Record</th><th>State</th><th>Tries</th><th>Last error</th></tr></thead><tbody id="recent"></tbody></table>
<script>
const STATES = ['received', 'processing', 'retry_wait', 'done', 'dead', 'held'];
function cell(row, text, cls) { const td = document.createElement('td'); td.textContent = text == null ? '-' : String(text); if (cls) td.className = cls; row.appendChild(td); return td; }
function renderCounts(counts) {
  const box = document.getElementById('counts'); box.replaceChildren();
  for (const state of STATES) {
    const div = document.createElement('div'); div.className = 'count ' + state; div.dataset.state = state;
    const b = document.createElement('b'); b.textContent = String(counts[state] ?? 0);
    div.append(b, document.createTextNode(state.replace('_', ' '))); box.appendChild(div);
  }
}
function renderChart(series) {
  const svg = document.getElementById('chart'); svg.replaceChildren();
  const max = Math.max(1, ...series.map((p) => p.done)); const w = 600 / series.length;
  series.forEach((p, i) => {
    const h = Math.round((p.done / max) * 70);
    const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    r.setAttribute('x', String(i * w + 1)); r.setAttribute('y', String(76 - h)); r.setAttribute('width', String(w - 2)); r.setAttribute('height', String(h)); r.setAttribute('fill', '#2da44e');
    svg.appendChild(r);
  });
}
async function replay(id, button) {
  button.disabled = true;
  const response = await fetch('/api/messages/' + encodeURIComponent(id) + '/replay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  button.textContent = response.ok ? 'Replayed' : 'Failed';
  refreshMessages();
}
async function refreshMessages() {
  const [dead, held, recent] = await Promise.all([
    fetch('/api/messages?state=dead&limit=50').then((r) => r.json()),
    fetch('/api/messages?state=held&limit=50').then((r) => r.json()),
    fetch('/api/messages?limit=30').then((r) => r.json()),
  ]);
  const deadBody = document.getElementById('dead'); deadBody.replaceChildren();
  for (const m of [...dead.messages, ...held.messages]) {
    const row = document.createElement('tr'); row.dataset.id = m.id;
    cell(row, m.id); cell(row, m.recordId); cell(row, m.attempts); cell(row, m.lastError, 'error');
    const button = document.createElement('button'); button.textContent = 'Replay'; button.onclick = () => replay(m.id, button);
    row.appendChild(document.createElement('td')).appendChild(button); deadBody.appendChild(row);
  }
  const recentBody = document.getElementById('recent'); recentBody.replaceChildren();
  for (const m of recent.messages) {
    const row = document.createElement('tr'); row.dataset.id = m.id; row.dataset.state = m.state;
    cell(row, m.id); cell(row, m.objectType); cell(row, m.recordId); cell(row, m.state); cell(row, m.attempts); cell(row, m.lastError, 'error');
    recentBody.appendChild(row);
  }
}
function apply(stats) { renderCounts(stats.counts); renderChart(stats.throughput); document.getElementById('status').textContent = 'live · ' + new Date(stats.updatedAt).toLocaleTimeString(); refreshMessages(); }
fetch('/api/stats').then((r) => r.json()).then(apply);
const events = new EventSource('/api/events');
events.addEventListener('stats', (e) => apply(JSON.parse(e.data)));
events.onerror = () => { document.getElementById('status').textContent = 'reconnecting…'; };
</script>
</body>
</html>
`;

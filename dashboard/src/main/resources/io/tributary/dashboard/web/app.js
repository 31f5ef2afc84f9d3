// Tributary dashboard: fetches the JSON API, draws the charts with Chart.js, polls for new table
// versions and redraws only what changed. window.dashboard exposes the page state to tests.
'use strict';

const PAGE = document.body.dataset.page;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173',
  '#3182bd', '#e6550d', '#31a354', '#756bb1', '#636363'];

const state = { page: PAGE, ready: false, renders: 0, versions: {}, newestWindow: null, error: null };
window.dashboard = state;

const charts = {};
const content = document.getElementById('content');
document.querySelectorAll('[data-nav]').forEach(a => {
  if (a.dataset.nav === PAGE) a.classList.add('active');
});

async function getJson(url) {
  // 'no-cache' revalidates with the ETag: an unchanged table answers 304 and the browser reuses
  // the body it has.
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) {
    throw new Error(url + ': HTTP ' + response.status);
  }
  return response.json();
}

function table(layer, name, limit) {
  return getJson('/api/tables/' + layer + '/' + name + '?limit=' + limit).catch(e => {
    if (String(e.message).includes('HTTP 404')) return null; // not written yet
    throw e;
  });
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  });
  children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c ?? '')));
  return node;
}

function card(id, title, body) {
  let node = document.getElementById(id);
  if (!node) {
    node = el('section', { id, class: 'card' }, el('h2', {}, title), el('div', { class: 'body' }));
    content.append(node);
  }
  const target = node.querySelector('.body');
  if (body !== undefined) target.replaceChildren(body);
  return target;
}

function grid(id) {
  let node = document.getElementById(id);
  if (!node) {
    node = el('div', { id, class: 'grid' });
    content.append(node);
  }
  return node;
}

function chartCard(parent, id, title) {
  let node = document.getElementById(id);
  if (!node) {
    node = el('section', { id, class: 'card' }, el('h2', {}, title),
      el('div', { class: 'chart' }, el('canvas', { id: id + '-canvas' })));
    parent.append(node);
  }
  return document.getElementById(id + '-canvas');
}

function time(ms) {
  const d = new Date(ms);
  return d.toISOString().substring(11, 16);
}

/** A count as it is; any other number with two decimals. */
function num(value, count) {
  if (value === null || value === undefined) return '';
  const n = Number(value);
  return count ? String(n) : n.toFixed(2);
}

/** Draws or updates a chart in place (no animation: updates every few seconds). */
function draw(canvas, config) {
  const existing = charts[canvas.id];
  if (existing && existing.config.type === config.type) {
    existing.data = config.data;
    existing.update('none');
    return existing;
  }
  if (existing) existing.destroy();
  config.options = Object.assign({ animation: false, maintainAspectRatio: false, responsive: true }, config.options);
  charts[canvas.id] = new Chart(canvas, config);
  return charts[canvas.id];
}

function lines(canvas, rows, keyOf, field, yTitle) {
  const byKey = new Map();
  rows.forEach(r => {
    const k = keyOf(r);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k).push({ x: Date.parse(r.window_start), y: Number(r[field]) });
  });
  const keys = [...byKey.keys()].sort();
  const datasets = keys.map((k, i) => ({
    label: k, data: byKey.get(k).sort((a, b) => a.x - b.x),
    borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length],
    pointRadius: 0, borderWidth: 1.5, tension: 0.2,
  }));
  return draw(canvas, {
    type: 'line', data: { datasets },
    options: {
      parsing: false,
      scales: { x: { type: 'linear', ticks: { callback: v => time(v), maxTicksLimit: 10 } },
        y: { title: { display: true, text: yTitle } } },
      plugins: { legend: { labels: { boxWidth: 10, font: { size: 10 } } } },
    },
  });
}

function bars(canvas, labels, series, yScale) {
  return draw(canvas, {
    type: 'bar',
    data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: COLORS[i] })) },
    options: { plugins: { legend: { display: series.length > 1 } }, scales: { y: yScale || {} } },
  });
}

/** The rows of the newest window (rows come newest first). */
function newestWindow(rows) {
  if (!rows || rows.length === 0) return { start: null, rows: [] };
  const start = rows.reduce((m, r) => (r.window_start > m ? r.window_start : m), rows[0].window_start);
  state.newestWindow = start;
  return { start, rows: rows.filter(r => r.window_start === start) };
}

/** A table of the newest window's rows; each value cell names its key and field for tests. */
function windowTable(id, title, win, keyOf, columns) {
  const head = el('tr', {}, el('th', {}, 'key'), columns.map(c => el('th', { class: 'num' }, c.label)));
  const body = win.rows.slice().sort((a, b) => keyOf(a).localeCompare(keyOf(b))).map(r => el('tr', {},
    el('td', {}, keyOf(r)),
    columns.map(c => el('td', { class: 'num', 'data-key': keyOf(r), 'data-field': c.field }, num(r[c.field], c.count)))));
  card(id, title, el('div', {},
    el('p', { class: 'muted' }, 'Window starting ', el('span', { id: 'newest-window' }, win.start ?? '—'),
      ' (UTC): the current answer of gold per key.'),
    el('table', {}, el('thead', {}, head), el('tbody', {}, body))));
}

function empty(id, message) {
  card(id, message, el('p', { class: 'muted' }, 'No rows yet: the table appears once a pipeline commits to it.'));
}

// ---- pages ---------------------------------------------------------------------------------

const pages = {
  async overview() {
    const answer = await getJson('/api/tables');
    const g = grid('overview-grid');
    const rows = answer.tables;
    bars(chartCard(g, 'rows-per-table', 'Rows per table (log scale)'), rows.map(t => t.layer + '/' + t.name),
      [{ label: 'rows', data: rows.map(t => t.rows) }], { type: 'logarithmic' });
    card('tables', 'Tables of ' + answer.lakehouse, el('table', {},
      el('thead', {}, el('tr', {}, ['table', 'dataset', 'format', 'rows', 'files', 'version', 'last commit'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows.map(t => el('tr', {},
        el('td', {}, t.layer + '/' + t.name), el('td', {}, t.dataset ?? ''), el('td', {}, t.format),
        el('td', { class: 'num', 'data-table': t.layer + '/' + t.name, 'data-field': 'rows' }, String(t.rows)),
        el('td', { class: 'num' }, String(t.files)), el('td', { class: 'num' }, String(t.version)),
        el('td', {}, t.lastCommit))))));
    return answer.tables.map(t => t.layer + '/' + t.name + '@' + t.version).join(',');
  },

  async weather() {
    const gold = await table('gold', 'weather_by_city_1m', 2000);
    if (!gold || gold.newest.length === 0) return empty('weather-empty', 'Weather per city');
    const rows = gold.newest;
    const g = grid('weather-grid');
    lines(chartCard(g, 'weather-temperature', 'Average temperature per city (°C)'), rows, r => r.city, 'avg_temperature_c', '°C');
    lines(chartCard(g, 'weather-humidity', 'Average humidity per city (%)'), rows, r => r.city, 'avg_humidity_pct', '%');
    lines(chartCard(g, 'weather-precipitation', 'Precipitation per city (mm per minute)'), rows, r => r.city, 'total_precipitation_mm', 'mm');
    windowTable('weather-latest', 'Newest minute per city', newestWindow(rows), r => r.city, [
      { label: 'readings', field: 'readings', count: true }, { label: 'avg °C', field: 'avg_temperature_c' },
      { label: 'min °C', field: 'min_temperature_c' }, { label: 'max °C', field: 'max_temperature_c' },
      { label: 'humidity %', field: 'avg_humidity_pct' }, { label: 'precipitation mm', field: 'total_precipitation_mm' }]);
    return 'v' + gold.version;
  },

  async students() {
    const gold = await table('gold', 'students_by_course_1m', 2000);
    if (!gold || gold.newest.length === 0) return empty('students-empty', 'Students per course');
    const rows = gold.newest;
    const win = newestWindow(rows);
    const g = grid('students-grid');
    const latest = win.rows.slice().sort((a, b) => a.course.localeCompare(b.course));
    bars(chartCard(g, 'students-grade', 'Average grade per course, newest minute'), latest.map(r => r.course),
      [{ label: 'avg grade', data: latest.map(r => r.avg_grade) }]);
    lines(chartCard(g, 'students-grade-time', 'Average grade per course over time'), rows, r => r.course, 'avg_grade', 'grade');
    windowTable('students-latest', 'Newest minute per course', win, r => r.course, [
      { label: 'events', field: 'events', count: true }, { label: 'distinct students', field: 'distinct_students', count: true },
      { label: 'avg grade', field: 'avg_grade' }]);
    return 'v' + gold.version;
  },

  async trips() {
    const [gold, vehicles] = await Promise.all([table('gold', 'trips_by_zone_5m', 2000), table('gold', 'vehicles_latest', 500)]);
    const g = grid('trips-grid');
    if (gold && gold.newest.length > 0) {
      const win = newestWindow(gold.newest);
      // Totals per zone over every window fetched: the newest window is often still open.
      const totals = new Map();
      gold.newest.forEach(r => {
        const t = totals.get(r.zone) || { zone: r.zone, started: 0, ended: 0, fare: 0 };
        t.started += r.trips_started; t.ended += r.trips_ended; t.fare += Number(r.total_fare || 0);
        totals.set(r.zone, t);
      });
      const since = time(Date.parse(gold.newest[gold.newest.length - 1].window_start));
      const top = [...totals.values()].sort((a, b) => b.started - a.started || a.zone.localeCompare(b.zone)).slice(0, 15);
      const byFare = [...totals.values()].sort((a, b) => b.fare - a.fare || a.zone.localeCompare(b.zone)).slice(0, 15);
      bars(chartCard(g, 'trips-started', 'Trips per zone since ' + since + ' (top 15)'), top.map(t => t.zone),
        [{ label: 'trips started', data: top.map(t => t.started) }, { label: 'trips ended', data: top.map(t => t.ended) }]);
      bars(chartCard(g, 'trips-fares', 'Fares per zone since ' + since + ' (top 15)'), byFare.map(t => t.zone),
        [{ label: 'total fare', data: byFare.map(t => Math.round(t.fare * 100) / 100) }]);
      windowTable('trips-latest', 'Newest 5 minutes per zone', win, r => r.zone, [
        { label: 'started', field: 'trips_started', count: true }, { label: 'ended', field: 'trips_ended', count: true },
        { label: 'avg km/h', field: 'avg_speed_kmh' }, { label: 'km (ended)', field: 'total_distance_km' },
        { label: 'fares', field: 'total_fare' }]);
    } else {
      empty('trips-empty', 'Trips per zone');
    }
    if (vehicles && vehicles.newest.length > 0) {
      // One colour per city: the cities are far apart, so each is a small cluster on the map.
      const byCity = new Map();
      vehicles.newest.forEach(v => {
        const city = v.city ?? '?';
        if (!byCity.has(city)) byCity.set(city, []);
        byCity.get(city).push({ x: v.lon, y: v.lat });
      });
      const cities = [...byCity.keys()].sort();
      draw(chartCard(g, 'vehicles-map', 'Vehicles\u2019 latest positions (' + vehicles.newest.length + ')'), {
        type: 'scatter',
        data: { datasets: cities.map((c, i) => ({ label: c, data: byCity.get(c), backgroundColor: COLORS[i % COLORS.length], pointRadius: 3 })) },
        options: { parsing: false, scales: { x: { title: { display: true, text: 'longitude' } }, y: { title: { display: true, text: 'latitude' } } } },
      });
    }
    return 'v' + (gold ? gold.version : '-') + '/' + (vehicles ? vehicles.version : '-');
  },

  async transactions() {
    const [gold, alerts] = await Promise.all([table('gold', 'transactions_by_category_1m', 2000), table('gold', 'transaction_alerts', 50)]);
    const g = grid('transactions-grid');
    const keyOf = r => r.merchant_category + ' ' + r.currency;
    if (gold && gold.newest.length > 0) {
      const win = newestWindow(gold.newest);
      const latest = win.rows.slice().sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
      bars(chartCard(g, 'spend-category', 'Spend per category, newest minute'), latest.map(keyOf),
        [{ label: 'total amount', data: latest.map(r => Number(r.total_amount)) }]);
      lines(chartCard(g, 'spend-time', 'Transactions per category over time'), gold.newest, keyOf, 'transactions', 'transactions');
      windowTable('transactions-latest', 'Newest minute per category', win, keyOf, [
        { label: 'transactions', field: 'transactions', count: true }, { label: 'total', field: 'total_amount' },
        { label: 'average', field: 'avg_amount' }, { label: 'largest', field: 'max_amount' }]);
    } else {
      empty('transactions-empty', 'Spend per category');
    }
    const list = alerts ? alerts.newest : [];
    card('alerts', 'Alerts: the newest decisions (' + (alerts ? alerts.rows : 0) + ' in gold/transaction_alerts)',
      el('table', { id: 'alerts-table' },
        el('thead', {}, el('tr', {}, ['event time', 'rule', 'account', 'amount', 'detail'].map(h => el('th', {}, h)))),
        el('tbody', {}, list.map(a => el('tr', { 'data-transaction': a.transaction_id },
          el('td', {}, a.event_time), el('td', {}, el('span', { class: 'rule' }, a.rule)), el('td', {}, a.account_id),
          el('td', { class: 'num' }, num(a.amount) + ' ' + a.currency), el('td', {}, a.detail))))));
    return 'v' + (gold ? gold.version : '-') + '/' + (alerts ? alerts.version : '-');
  },

  async health() {
    const report = await getJson('/api/health');
    const g = grid('health-grid');
    const ds = report.datasets;
    bars(chartCard(g, 'quarantine-share', 'Quarantined share of records per dataset (%)'), ds.map(d => d.dataset),
      [{ label: 'quarantine %', data: ds.map(d => d.quarantineShare * 100) }]);
    bars(chartCard(g, 'freshness', 'Seconds since each table\u2019s last commit'), report.tables.map(t => t.layer + '/' + t.name),
      [{ label: 'seconds', data: report.tables.map(t => t.freshnessSeconds) }]);
    card('health-tables', 'Tables', el('table', {},
      el('thead', {}, el('tr', {}, ['table', 'rows', 'files', 'version', 'last commit', 'freshness s'].map(h => el('th', {}, h)))),
      el('tbody', {}, report.tables.map(t => el('tr', {},
        el('td', {}, t.layer + '/' + t.name), el('td', { class: 'num', 'data-table': t.layer + '/' + t.name, 'data-field': 'rows' }, String(t.rows)),
        el('td', { class: 'num' }, String(t.files)), el('td', { class: 'num' }, String(t.version)),
        el('td', {}, t.lastCommit), el('td', { class: 'num' }, String(t.freshnessSeconds)))))));
    const sample = s => el('div', {},
      el('div', {}, s.stage + (s.field ? ' · ' + s.field : '') + ': ' + (s.reason ?? '')),
      el('div', { class: 'payload' }, s.payload ?? ''));
    const ruleRow = (d, r) => el('tr', {},
      el('td', {}, el('span', { class: 'rule' }, r.rule)),
      el('td', { class: 'num', 'data-dataset': d.dataset, 'data-rule': r.rule }, String(r.rows)),
      el('td', { class: 'num' }, num(r.share * 100) + ' %'),
      el('td', {}, r.samples.map(sample)));
    const datasetBlock = d => el('div', {},
      el('h3', {}, d.dataset + ': ' + d.quarantineRows + ' of ' + d.bronzeRows + ' records quarantined ('
        + num(d.quarantineShare * 100) + ' %), ' + d.goldRowsFromLateEvents + ' gold rows updated by late events'),
      el('table', {}, el('tbody', {}, d.quarantineByRule.map(r => ruleRow(d, r)))));
    card('health-quarantine', 'Quarantine reasons, with the newest payloads', el('div', {}, ds.map(datasetBlock)));
    const lagRows = d => d.lag.error
      ? [el('tr', {}, el('td', {}, d.dataset), el('td', { colspan: 5 }, d.lag.error))]
      : Object.entries(d.lag.tables).flatMap(([layer, parts]) => parts.map(p => el('tr', {},
        el('td', {}, d.lag.topic), el('td', {}, layer), el('td', { class: 'num' }, String(p.partition)),
        el('td', { class: 'num' }, String(p.endOffset)), el('td', { class: 'num' }, String(p.tableOffset)),
        el('td', { class: 'num', 'data-lag': d.dataset + '/' + layer + '/' + p.partition }, String(p.lag)))));
    const lagged = ds.filter(d => d.lag);
    const lagHead = el('tr', {}, ['topic', 'table', 'partition', 'end offset', 'table offset', 'lag'].map(h => el('th', {}, h)));
    card('health-lag', 'Kafka lag (end offset − offsets the table accounts for)', lagged.length === 0
      ? el('p', { class: 'muted' }, 'Kafka ' + report.kafka + '.')
      : el('table', {}, el('thead', {}, lagHead), el('tbody', {}, lagged.flatMap(lagRows))));
    return report.tables.map(t => t.version).join(',');
  },
};

// ---- live updates --------------------------------------------------------------------------

let refreshMs = 5000;
const status = document.getElementById('status');

async function refresh() {
  try {
    const versions = await pages[PAGE]();
    state.renders++;
    state.versions = versions;
    state.error = null;
    state.ready = true;
    document.body.dataset.ready = 'true';
    status.className = 'status';
    status.textContent = 'updated ' + new Date().toISOString().substring(11, 19) + ' UTC · every ' + refreshMs / 1000 + ' s';
  } catch (e) {
    // Keep what is shown; say why it is not fresh.
    state.error = String(e.message || e);
    status.className = 'status error';
    status.textContent = 'not updated: ' + state.error;
  } finally {
    setTimeout(refresh, refreshMs);
  }
}

getJson('/api/tables').then(t => { refreshMs = t.refreshSeconds * 1000; }).catch(() => {}).finally(refresh);

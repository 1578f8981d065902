// The /quality page: the reconciliation report, flags per rule with the rules' examples, the models, and this
// server's live traffic, from the GraphQL API and /quality/live with the token the user pasted (kept in
// sessionStorage only). Every value reaches the page through textContent or SVG attributes, never as HTML.
(function () {
  'use strict';
  var TOKEN_KEY = 'fusion-gateway-token';
  var LIVE_EVERY_MS = 5000;
  var SVG = 'http://www.w3.org/2000/svg';
  var QUERY =
    'query QualityPage { dataQuality { generatedAt balanced tables { table source read served merged rejected flagged balanced ' +
    'flagsByRule { rule count } rejectionsByReason { reason count } } } ' +
    'fusionRules { name kind description examples { input output } } ' +
    'models { name version status executionProvider error metrics { name value } } }';
  var liveTimer = null;

  function $(id) {
    return document.getElementById(id);
  }
  function number(value) {
    return typeof value === 'number' ? value.toLocaleString('en-US') : '—';
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (cell) {
      tr.appendChild(typeof cell === 'number' ? el('td', number(cell), 'number') : el('td', cell));
    });
    return tr;
  }
  function fill(tableId, rows) {
    var body = $(tableId).querySelector('tbody');
    body.replaceChildren.apply(body, rows);
  }
  function status(text, kind) {
    var node = $('status');
    node.textContent = text;
    node.className = kind || '';
  }

  function headers() {
    return { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  }
  function failure(response, body) {
    var error = body && body.errors && body.errors[0];
    var code = error && error.extensions && error.extensions.code;
    return 'HTTP ' + response.status + (code ? ' ' + code : '') + (error ? ': ' + error.message : '');
  }
  function graphql() {
    return fetch('/graphql', { method: 'POST', headers: headers(), body: JSON.stringify({ query: QUERY, operationName: 'QualityPage' }) }).then(
      function (response) {
        return response.json().then(function (body) {
          if (!response.ok || !body.data || body.errors) throw new Error(failure(response, body));
          return body.data;
        });
      },
    );
  }
  function live() {
    return fetch('/quality/live', { headers: headers() }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(failure(response, body));
        return body;
      });
    });
  }

  function svg(width, height) {
    var node = document.createElementNS(SVG, 'svg');
    node.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    node.setAttribute('role', 'img');
    return node;
  }
  function svgEl(tag, attributes, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  /** One bar per table: served, merged and rejected as shares of the rows read. */
  function reconciliationChart(tables) {
    var rowHeight = 22,
      label = 190,
      width = 760,
      barWidth = width - label - 10;
    var chart = svg(width, tables.length * rowHeight + 24);
    chart.setAttribute('aria-label', 'Rows read per table, split into served, merged and rejected');
    tables.forEach(function (t, i) {
      var y = i * rowHeight;
      chart.appendChild(svgEl('text', { x: 0, y: y + 15, class: 'label' }, t.table));
      var x = label;
      [
        ['served', t.served],
        ['merged', t.merged],
        ['rejected', t.rejected],
      ].forEach(function (part) {
        var w = t.read > 0 ? (barWidth * part[1]) / t.read : 0;
        var rect = svgEl('rect', { x: x, y: y + 3, width: Math.max(w, 0), height: rowHeight - 6, class: 'bar ' + part[0] });
        rect.appendChild(svgEl('title', {}, t.table + ': ' + part[0] + ' ' + number(part[1]) + ' of ' + number(t.read)));
        chart.appendChild(rect);
        x += w;
      });
    });
    var legendY = tables.length * rowHeight + 16;
    [
      ['served', 0],
      ['merged', 90],
      ['rejected', 180],
    ].forEach(function (entry) {
      chart.appendChild(svgEl('rect', { x: label + entry[1], y: legendY - 10, width: 12, height: 12, class: 'bar ' + entry[0] }));
      chart.appendChild(svgEl('text', { x: label + entry[1] + 16, y: legendY, class: 'label' }, entry[0]));
    });
    return chart;
  }

  /** Operations per latency bucket (the histogram's cumulative counts turned into per-bucket ones). */
  function latencyChart(latency) {
    var buckets = latency.buckets,
      counts = [],
      previous = 0;
    buckets.forEach(function (b) {
      counts.push(b.count - previous);
      previous = b.count;
    });
    counts.push(latency.count - previous);
    var labels = buckets.map(function (b) {
      return '≤' + (b.le < 1 ? b.le * 1000 + ' ms' : b.le + ' s');
    });
    labels.push('more');
    var width = 760,
      height = 160,
      barSlot = width / counts.length,
      max = Math.max.apply(null, counts.concat([1]));
    var chart = svg(width, height + 30);
    chart.setAttribute('aria-label', 'Operations per latency bucket');
    counts.forEach(function (count, i) {
      var h = (height * count) / max;
      var rect = svgEl('rect', { x: i * barSlot + 4, y: height - h, width: barSlot - 8, height: h, class: 'bar served' });
      rect.appendChild(svgEl('title', {}, labels[i] + ': ' + number(count) + ' operations'));
      chart.appendChild(rect);
      chart.appendChild(svgEl('text', { x: i * barSlot + barSlot / 2, y: height + 14, class: 'label centred' }, labels[i]));
      if (count > 0) chart.appendChild(svgEl('text', { x: i * barSlot + barSlot / 2, y: height - h - 3, class: 'label centred' }, number(count)));
    });
    return chart;
  }

  function tile(label, value, id) {
    var node = el('div', null, 'tile');
    var strong = el('strong', value);
    strong.id = id;
    node.appendChild(strong);
    node.appendChild(el('span', label));
    return node;
  }
  function milliseconds(seconds) {
    return seconds === null ? '—' : (seconds * 1000).toFixed(1) + ' ms';
  }

  function showLive(figures) {
    var ops = figures.operations;
    $('live-since').textContent = 'this server, last ' + Math.round(figures.uptimeSeconds / 60) + ' min';
    $('live-tiles').replaceChildren(
      tile('operations', number(ops.total), 'live-total'),
      tile('ok', number(ops.ok), 'live-ok'),
      tile('partial (data and errors)', number(ops.partial), 'live-partial'),
      tile('failed', number(ops.failed), 'live-failed'),
      tile('p50 latency', milliseconds(figures.latency.p50), 'live-p50'),
      tile('p95 latency', milliseconds(figures.latency.p95), 'live-p95'),
      tile('memory (RSS)', Math.round(figures.residentMemoryBytes / 1048576) + ' MiB', 'live-rss'),
    );
    $('latency-chart').replaceChildren(latencyChart(figures.latency));
    fill(
      'errors',
      figures.errorsByCode.length > 0
        ? figures.errorsByCode.map(function (e) {
            return row([e.code, e.count]);
          })
        : [row(['none', 0])],
    );
  }

  function showReport(data) {
    var report = data.dataQuality;
    var rules = {};
    data.fusionRules.forEach(function (rule) {
      rules[rule.name] = rule;
    });
    $('reconciled-at').textContent = 'scanned ' + report.generatedAt;
    $('balanced').textContent = report.balanced ? 'Every table balances: read = served + merged + rejected.' : 'SOME TABLES DO NOT BALANCE.';
    $('balanced').className = report.balanced ? 'good' : 'bad';
    $('reconciliation-chart').replaceChildren(reconciliationChart(report.tables));
    fill(
      'reconciliation',
      report.tables.map(function (t) {
        return row([t.table, t.source, t.read, t.served, t.merged, t.rejected, t.flagged, t.balanced ? 'yes' : 'NO']);
      }),
    );
    var flags = [],
      rejections = [];
    report.tables.forEach(function (t) {
      t.flagsByRule.forEach(function (f) {
        var rule = rules[f.rule];
        var example = rule && rule.examples[0] ? rule.examples[0].input + ' → ' + rule.examples[0].output : '—';
        flags.push(row([t.table, f.rule, f.count, rule ? rule.description : '—', example]));
      });
      t.rejectionsByReason.forEach(function (r) {
        rejections.push(row([t.table, r.reason, r.count]));
      });
    });
    fill('flags', flags);
    fill('rejections', rejections.length > 0 ? rejections : [row(['—', 'none', 0])]);
    fill(
      'models',
      data.models.map(function (m) {
        var headline = m.metrics
          .filter(function (x) {
            return /^test\.[^.]+$/.test(x.name) || /^test\.fusion\.(returning|new)\.hit_rate@10$/.test(x.name);
          })
          .map(function (x) {
            return x.name.replace(/^test\.(fusion\.)?/, '') + ' ' + rounded(x.value);
          })
          .join(', ');
        return row([m.name, m.version || '—', m.status + (m.error ? ' (' + m.error + ')' : ''), m.executionProvider || '—', headline || '—']);
      }),
    );
    var charts = [];
    data.models.forEach(function (m) {
      var comparison = baselineComparison(m);
      if (comparison.bars.length === 0) return;
      charts.push(el('h3', m.name + ': ' + comparison.title));
      charts.push(comparisonChart(m.name, comparison.bars));
    });
    $('model-charts').replaceChildren.apply($('model-charts'), charts);
    var every = [];
    data.models.forEach(function (m) {
      m.metrics.forEach(function (x) {
        every.push(row([m.name, x.name, rounded(x.value)]));
      });
    });
    fill('all-metrics', every);
  }

  function rounded(value) {
    return String(Math.round(value * 1000) / 1000);
  }

  /**
   * The model beside its baselines on the test window, in the metric its card leads with: ROC-AUC for a
   * classifier (baselines_test.<name>.roc_auc), HitRate@10 of returning users for a recommender
   * (test.<name>.returning.hit_rate@10). The model's own bar is the one named fusion.
   */
  function baselineComparison(model) {
    var patterns = [
      { title: 'ROC-AUC on the test window, model and baselines', re: /^baselines_test\.(.+)\.roc_auc$/ },
      { title: 'HitRate@10 of returning users on the test window, model and baselines', re: /^test\.([^.]+)\.returning\.hit_rate@10$/ },
    ];
    for (var i = 0; i < patterns.length; i++) {
      var bars = [];
      model.metrics.forEach(function (x) {
        var match = patterns[i].re.exec(x.name);
        if (match) bars.push({ label: match[1], value: x.value, model: /^fusion/.test(match[1]) });
      });
      if (bars.length > 0)
        return {
          title: patterns[i].title,
          bars: bars.sort(function (a, b) {
            return b.value - a.value;
          }),
        };
    }
    return { title: '', bars: [] };
  }

  function comparisonChart(name, bars) {
    var rowHeight = 22,
      label = 300,
      width = 760,
      barWidth = width - label - 60;
    var max = Math.max.apply(
      null,
      bars
        .map(function (b) {
          return b.value;
        })
        .concat([1e-9]),
    );
    var chart = svg(width, bars.length * rowHeight + 4);
    chart.setAttribute('aria-label', name + ': the model and its baselines');
    chart.setAttribute('class', 'comparison');
    bars.forEach(function (b, i) {
      var y = i * rowHeight,
        w = (barWidth * b.value) / max;
      chart.appendChild(svgEl('text', { x: 0, y: y + 15, class: 'label' }, b.label));
      var rect = svgEl('rect', { x: label, y: y + 3, width: Math.max(w, 0), height: rowHeight - 6, class: 'bar ' + (b.model ? 'served' : 'merged') });
      rect.appendChild(svgEl('title', {}, b.label + ': ' + rounded(b.value)));
      chart.appendChild(rect);
      chart.appendChild(svgEl('text', { x: label + w + 6, y: y + 15, class: 'label' }, rounded(b.value)));
    });
    var wrapper = el('div', null, 'chart');
    wrapper.appendChild(chart);
    return wrapper;
  }

  function refreshLive() {
    return live().then(showLive, function (error) {
      status('Live figures: ' + error.message, 'bad');
    });
  }

  function load() {
    if (!sessionStorage.getItem(TOKEN_KEY)) return;
    status('Loading… (the first reconciliation scans every source row)');
    clearInterval(liveTimer);
    // The live figures first: they answer every role that may not see this page with one clear refusal.
    live()
      .then(function (figures) {
        return graphql().then(function (data) {
          showReport(data);
          showLive(figures);
          $('content').hidden = false;
          status('Figures as the API answers them for this token.', 'good');
          liveTimer = setInterval(refreshLive, LIVE_EVERY_MS);
        });
      })
      .catch(function (error) {
        $('content').hidden = true;
        status('Refused: ' + error.message + ' — this page needs an admin or BI token.', 'bad');
      });
  }

  $('login').addEventListener('submit', function (event) {
    event.preventDefault();
    var token = $('token').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    load();
  });
  $('forget').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN_KEY);
    clearInterval(liveTimer);
    $('content').hidden = true;
    status('Token forgotten. Paste an admin or BI token to see the figures.');
  });
  load();
})();

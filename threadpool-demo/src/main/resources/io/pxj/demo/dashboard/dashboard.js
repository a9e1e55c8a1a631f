// PxJ live dashboard: polls /stats once a second and draws the charts by hand on <canvas>.
// No libraries, no external URLs: everything comes from this server.
(function () {
  'use strict';

  var POINTS = 120;           // two minutes at one sample per second
  var POLL_MS = 1000;

  var css = getComputedStyle(document.documentElement);
  function cssVar(name, fallback) { return (css.getPropertyValue(name) || fallback).trim(); }
  var GRID = cssVar('--line', '#2a3542');
  var MUTED = cssVar('--muted', '#8b98a5');
  var MONO = '11px ui-monospace, "Cascadia Mono", Consolas, monospace';

  // ---- formatting -------------------------------------------------------------------------------------------
  function num(n) { return n == null || isNaN(n) ? '\u2013' : Math.round(n).toLocaleString('en-US'); }
  function compact(n) {
    if (n == null || isNaN(n)) return '\u2013';
    var a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 0 : 1) + 'G';
    if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
    if (a >= 1e3) return (n / 1e3).toFixed(a >= 1e4 ? 0 : 1) + 'k';
    return (Math.round(n * 10) / 10).toString();
  }
  function bytes(n) {
    if (n == null || isNaN(n)) return '\u2013';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(n >= 10 ? 0 : 1)) + ' ' + u[i];
  }
  function micros(us) { // latency values arrive in microseconds (one decimal): µs up to 10 ms, then ms, then s
    if (us == null || isNaN(us)) return '\u2013';
    if (us < 1e4) return us.toLocaleString('en-US', {minimumFractionDigits: 1, maximumFractionDigits: 1}) + ' \u00b5s';
    if (us < 1e7) return (us / 1000).toFixed(1) + ' ms';
    return (us / 1e6).toFixed(1) + ' s';
  }
  function microsAxis(us) { // axis labels: whole µs up to 10 ms, then ms
    if (us < 1e4) return Math.round(us).toLocaleString('en-US') + ' \u00b5s';
    return (us / 1000).toFixed(us < 1e5 ? 1 : 0) + ' ms';
  }
  function duration(ms) {
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + (s % 60) + 's';
  }

  // ---- a small line chart -----------------------------------------------------------------------------------
  function Chart(canvas, legendEl, series, format, binary, axisFormat) {
    this.binary = !!binary;    // y steps in powers of two (bytes)
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.series = series;      // [{name, color, dashed}]
    this.format = format;      // value -> legend label
    this.axisFormat = axisFormat || format; // value -> axis label
    this.data = series.map(function () { return []; });
    this.legend = legendEl;
    this.legendValues = [];
    if (legendEl) {
      var self = this;
      series.forEach(function (s) {
        var span = document.createElement('span');
        var swatch = document.createElement('i');
        swatch.style.background = s.color;
        var val = document.createElement('b');
        val.textContent = '\u2013';
        span.appendChild(swatch);
        span.appendChild(document.createTextNode(s.name));
        span.appendChild(val);
        legendEl.appendChild(span);
        self.legendValues.push(val);
      });
    }
  }
  Chart.prototype.push = function (values) {
    for (var i = 0; i < this.series.length; i++) {
      var d = this.data[i];
      d.push(values[i]);
      if (d.length > POINTS) d.shift();
      if (this.legendValues[i]) this.legendValues[i].textContent = this.format(values[i]);
    }
  };
  Chart.prototype.gap = function () { this.push(this.series.map(function () { return null; })); };
  Chart.prototype.draw = function () {
    var c = this.canvas, ctx = this.ctx;
    var dpr = window.devicePixelRatio || 1;
    var w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) return;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);

    var max = 0, points = 0;
    this.data.forEach(function (d) { d.forEach(function (v) { if (v != null) { points++; if (v > max) max = v; } }); });
    // What is drawn, also in the DOM (for scripts/dashboard-check.sh and anyone inspecting the page).
    c.setAttribute('data-points', points);
    c.setAttribute('data-max', max);
    var step = niceStep(max / 4, this.binary);
    var lines = Math.max(2, Math.ceil(max / step));
    var top = step * lines;
    ctx.font = MONO;
    var widest = 0;
    for (var k = 0; k <= lines; k++) widest = Math.max(widest, ctx.measureText(this.axisFormat(step * k)).width);
    var padL = Math.ceil(widest) + 12, padR = 10, padT = 8, padB = 20;
    var pw = w - padL - padR, ph = h - padT - padB;

    // grid and y labels
    ctx.fillStyle = MUTED;
    ctx.strokeStyle = GRID;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (var g = 0; g <= lines; g++) {
      var y = Math.round(padT + ph - ph * g / lines) + 0.5;
      ctx.beginPath(); ctx.moveTo(padL, y); ctx.lineTo(w - padR, y); ctx.stroke();
      ctx.fillText(this.axisFormat(step * g), padL - 6, y);
    }
    // x labels: seconds ago
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    [120, 90, 60, 30, 0].forEach(function (ago) {
      var x = padL + pw * (POINTS - 1 - ago) / (POINTS - 1);
      ctx.fillText(ago === 0 ? 'now' : '-' + ago + 's', Math.min(Math.max(x, padL + 14), w - padR - 14), padT + ph + 5);
    });

    // series
    var self = this;
    this.data.forEach(function (d, i) {
      var s = self.series[i];
      var offset = POINTS - d.length;
      function px(j) { return padL + pw * (offset + j) / (POINTS - 1); }
      function py(v) { return padT + ph - (top > 0 ? ph * v / top : 0); }
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.lineJoin = 'round';
      ctx.setLineDash(s.dashed ? [5, 4] : []);
      ctx.beginPath();
      var pen = false, firstX = null, lastX = null;
      for (var j = 0; j < d.length; j++) {
        if (d[j] == null) { pen = false; continue; }
        var x = px(j), y = py(d[j]);
        if (pen) ctx.lineTo(x, y); else { ctx.moveTo(x, y); if (firstX == null) firstX = x; }
        lastX = x;
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (s.fill && firstX != null) { // soft area under the first series
        ctx.lineTo(lastX, padT + ph);
        ctx.lineTo(firstX, padT + ph);
        ctx.closePath();
        var grad = ctx.createLinearGradient(0, padT, 0, padT + ph);
        grad.addColorStop(0, s.color + '55');
        grad.addColorStop(1, s.color + '00');
        ctx.fillStyle = grad;
        ctx.fill();
      }
    });
  };
  // The smallest "round" grid step >= v: 1, 2, 2.5, 5 x 10^k, or a power of two for bytes.
  function niceStep(v, binary) {
    if (!(v > 0)) return 1;
    if (binary) return Math.pow(2, Math.ceil(Math.log2(v)));
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  function legendFor(name) { return document.querySelector('.legend[data-chart="' + name + '"]'); }
  var charts = {
    rps: new Chart(document.getElementById('c-rps'), legendFor('rps'),
      [{name: 'requests/s', color: '#4fc3f7', fill: true}], compact),
    lat: new Chart(document.getElementById('c-lat'), legendFor('lat'),
      [{name: 'p50', color: '#3fb950'}, {name: 'p99', color: '#d29922'}, {name: 'p99.9', color: '#f85149', dashed: true},
       {name: 'handler p50', color: '#8b98a5', dashed: true}],
      micros, false, microsAxis),
    conns: new Chart(document.getElementById('c-conns'), legendFor('conns'),
      [{name: 'open', color: '#7c4dff', fill: true}], compact),
    threads: new Chart(document.getElementById('c-threads'), legendFor('threads'),
      [{name: 'threads', color: '#4fc3f7'}, {name: 'contexts active', color: '#ff7eb6'}], compact),
    arena: new Chart(document.getElementById('c-arena'), legendFor('arena'),
      [{name: 'direct in use', color: '#3fb950', fill: true}, {name: 'soft limit', color: '#f85149', dashed: true},
       {name: 'arena in use', color: '#8b98a5'}, {name: 'JVM heap', color: '#d29922', dashed: true}], bytes, true)
  };
  function drawAll() { Object.keys(charts).forEach(function (k) { charts[k].draw(); }); }
  window.addEventListener('resize', drawAll);

  // ---- polling ----------------------------------------------------------------------------------------------
  var statusEl = document.getElementById('status'), statusText = document.getElementById('status-text');
  function setStatus(cls, text) { statusEl.className = 'status ' + cls; statusText.textContent = text; }
  function set(id, text) { document.getElementById(id).textContent = text; }

  // Backend counters (px.backendCounters): one row per counter, in the backend's order.
  function counters(c) {
    var body = document.querySelector('#counters tbody');
    var keys = Object.keys(c);
    if (body.rows.length !== keys.length) {
      body.textContent = '';
      keys.forEach(function (k) {
        var tr = body.insertRow(), name = tr.insertCell(), value = tr.insertCell();
        name.textContent = k;
        value.className = 'num';
      });
    }
    keys.forEach(function (k, i) {
      body.rows[i].cells[0].textContent = k;
      body.rows[i].cells[1].textContent = num(c[k]);
    });
  }

  /** "name count, name count" of a counter map, largest first. */
  function mix(m) {
    var names = Object.keys(m || {}).sort(function (a, b) { return m[b] - m[a]; });
    return names.length ? names.map(function (n) { return n.replace(/^TLS_/, '') + ' ' + num(m[n]); }).join(', ')
      : 'none yet';
  }

  function update(s) {
    var px = s.px || {}, http = s.http || {}, lat = http.serverTime || {}, hand = http.handlerTime || {},
      st = http.status || {}, jvm = s.jvm || {};
    set('backend', s.backend || px.backend || '?');
    set('uptime', duration(http.uptimeMs || 0));
    set('t-rps', num(http.requestsPerSecond));
    set('t-p50', micros(lat.p50));
    set('t-p99', micros(lat.p99));
    set('t-p999', micros(lat.p999) + ' / ' + micros(lat.max));
    set('t-handler', micros(hand.p50) + ' / ' + micros(hand.p99));
    set('t-total', num(http.requests));
    set('t-errors', num((st['4xx'] || 0) + (st['5xx'] || 0)) + ' / ' + num(px.errors));
    set('t-conns', num(px.connectionsActive) + ' / ' + num(px.connectionsTotal));
    set('t-threads', num(px.threads) + ' / ' + num(px.contextsActive));
    set('t-direct', bytes(px.directBytesInUse) + ' / ' + bytes(px.memorySoftLimit));
    set('t-arena', bytes(px.arenaBytesInUse) + ' / ' + bytes(px.arenaBytesReserved));
    set('t-bytes', bytes(px.bytesIn) + ' / ' + bytes(px.bytesOut));
    set('t-heap', bytes(jvm.heapUsed));
    set('t-wiki', s.wiki ? num(s.wiki.keys) : 'off');
    var tls = s.tls;
    set('t-tls', tls ? num(tls.handshakesCompleted) + ' / ' + num(tls.handshakesFailed) + ' / '
      + num(tls.handshakesTimedOut) : 'off (plain HTTP)');
    set('t-tls-mix', tls ? mix(tls.protocols) + ' \u00b7 ' + mix(tls.cipherSuites) : 'off');
    counters(px.backendCounters || {});
    charts.rps.push([http.requestsPerSecond]);
    charts.lat.push(lat.count ? [lat.p50, lat.p99, lat.p999, hand.count ? hand.p50 : null] : [null, null, null, null]);
    charts.conns.push([px.connectionsActive]);
    charts.threads.push([px.threads, px.contextsActive]);
    charts.arena.push([px.directBytesInUse, px.memorySoftLimit, px.arenaBytesInUse, jvm.heapUsed]);
    drawAll();
  }

  function poll() {
    var started = Date.now();
    var ctl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, 2500);
    fetch('/stats', {cache: 'no-store', signal: ctl ? ctl.signal : undefined})
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (s) { update(s); setStatus('live', 'live'); })
      .catch(function (e) {
        Object.keys(charts).forEach(function (k) { charts[k].gap(); });
        drawAll();
        setStatus('down', 'no data (' + (e && e.name === 'AbortError' ? 'timeout' : (e && e.message) || 'error') + ')');
      })
      .then(function () {
        clearTimeout(timer);
        setTimeout(poll, Math.max(0, POLL_MS - (Date.now() - started)));
      });
  }

  // ---- wiki lookup ------------------------------------------------------------------------------------------
  var prefixEl = document.getElementById('prefix'), results = document.getElementById('results');
  var info = document.getElementById('lookup-info'), recordEl = document.getElementById('record');
  var pending = null;
  document.getElementById('lookup-form').addEventListener('submit', function (e) { e.preventDefault(); lookup(); });
  prefixEl.addEventListener('input', function () { clearTimeout(pending); pending = setTimeout(lookup, 150); });

  function lookup(showFirst) {
    var p = prefixEl.value.trim().toLowerCase();
    var t0 = performance.now();
    fetch('/lookup/' + encodeURIComponent(p) + '?limit=25', {cache: 'no-store'})
      .then(function (r) { return r.json(); })
      .then(function (j) {
        results.textContent = '';
        if (j.error) { info.textContent = j.error; return; }
        info.textContent = (j.prefix ? num(j.matches) + ' keys start with "' + j.prefix + '"'
          : num(j.matches) + ' keys in the index') + ' \u00b7 ' + (performance.now() - t0).toFixed(1) + ' ms round trip';
        j.results.forEach(function (r) {
          var li = document.createElement('li');
          li.appendChild(document.createTextNode(r.key));
          var meta = document.createElement('span');
          meta.textContent = '@' + r.offset.toLocaleString('en-US') + ' +' + r.length;
          li.appendChild(meta);
          li.addEventListener('click', function () { showRecord(li, r.key); });
          results.appendChild(li);
        });
        if (showFirst === true && results.firstChild) results.firstChild.click();
      })
      .catch(function (e) { info.textContent = 'lookup failed: ' + e.message; });
  }
  function showRecord(li, key) {
    Array.prototype.forEach.call(results.children, function (c) { c.classList.remove('sel'); });
    li.classList.add('sel');
    fetch('/record/' + encodeURIComponent(key), {cache: 'no-store'})
      .then(function (r) { return r.text().then(function (t) { return [r.status, t]; }); })
      .then(function (a) {
        var text = a[1];
        try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (ignored) { /* show as is */ }
        recordEl.textContent = (a[0] === 200 ? '' : 'HTTP ' + a[0] + '\n') + text;
      })
      .catch(function (e) { recordEl.textContent = 'fetch failed: ' + e.message; });
  }

  drawAll();
  poll();
  lookup(true); // show the first keys and a record right away
})();

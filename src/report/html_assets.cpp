// The stylesheet and the script of the HTML report, inlined into every page (the page makes no
// request: its CSP allows only inline style and script, and data: images).
// The script only ever writes text (textContent, never innerHTML), so scanner strings it reads
// from the JSON block cannot become markup.
#include "src/report/html.hpp"

namespace dg::report {

std::string_view html_css() {
  return R"CSS(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;
--critical:#b3261e;--high:#e8710a;--medium:#e2b203;--low:#1a73e8;--info:#80868b;--unknown:#9334e6}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:var(--fg);background:var(--soft)}
main{max-width:1280px;margin:0 auto;padding:0 20px 40px}
header.verdict{padding:18px 20px;color:#fff}
header.verdict>div{max-width:1240px;margin:0 auto}
header h1{margin:0 0 4px;font-size:24px}
header .meta{opacity:.92;font-size:13px}
header a{color:#fff}
.v-pass{background:var(--ok)}.v-fail{background:var(--bad)}.v-error{background:var(--warn)}
nav{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding:8px 20px;font-size:13px}
nav a{margin-right:14px;color:var(--fg);text-decoration:none}nav a:hover{text-decoration:underline}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:16px 0}
h2{font-size:18px;margin:0 0 10px}h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.date{white-space:nowrap}
.table-wrap{overflow-x:auto}
table.findings td{font-size:13px}
table.findings td.loc,table.findings td.ver{word-break:break-all}
.muted{color:var(--muted)}.small{font-size:12px}
.sev{display:inline-block;min-width:62px;padding:0 6px;border-radius:10px;color:#fff;font-size:12px;text-align:center}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium);color:#1f2328}
.sev-low{background:var(--low)}.sev-info{background:var(--info)}.sev-unknown{background:var(--unknown)}
.tag{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;border:1px solid var(--line)}
.tag-new{background:#fff8c5;border-color:#d4a72c}.tag-muted{color:var(--muted);border-style:dashed}.tag-waived{background:#ddf4ff;border-color:#54aeff}.tag-unchanged{color:var(--muted)}.tag-kev{background:#ffebe9;border-color:#ff8182;font-weight:600}
.st{font-weight:600}.st-passed{color:var(--ok)}.st-failed{color:var(--bad)}.st-error{color:var(--warn)}.st-skipped{color:var(--muted)}
.fix{color:var(--ok);font-weight:600}
ul.reasons{margin:0 0 10px;padding-left:20px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:4px 0 10px}
.tile{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px;background:var(--soft)}
.tile b{display:block;font-size:22px}
.tile.t-new b{color:var(--bad)}.tile.t-fixed b{color:var(--ok)}.tile.t-waived b{color:var(--low)}
pre{background:#0d1117;color:#e6edf3;padding:10px 12px;border-radius:6px;overflow:auto;max-height:420px;font-size:12px}
svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}
svg text{font:12px system-ui,"DejaVu Sans",sans-serif;fill:var(--fg)}
svg text.label{font-size:13px}svg text.strong{font-weight:600}svg text.err{fill:var(--bad)}
svg text.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;fill:var(--muted)}
svg .bar-ok{fill:var(--ok)}svg .bar-bad{fill:var(--bad)}svg .bar-budget{fill:#c6ccd2}svg .bar-base{fill:#8fb8de}
svg .bar-layer{fill:#6e7fd6}svg .budget-line{stroke:var(--fg);stroke-dasharray:4 3;stroke-width:1.5}
svg .seg-poll{fill:#8fb8de}svg .seg-stop{fill:#c6ccd2}svg .seg-fail{fill:#f4b7b2}
svg .dot{fill:var(--fg)}svg .dot-ok{fill:var(--ok)}svg .dot-bad{fill:var(--bad)}svg .dot-err{fill:var(--warn)}
svg .axis{stroke:var(--line)}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:0 0 8px}
.filters input[type=search]{width:280px;padding:4px 8px;border:1px solid var(--line);border-radius:6px}
.filters select{padding:3px 6px;border:1px solid var(--line);border-radius:6px;background:#fff}
.filters .chk{margin-right:4px;cursor:pointer}
th button{all:unset;cursor:pointer}th button:hover{text-decoration:underline}
th[aria-sort=ascending] button::after{content:" \25B2"}th[aria-sort=descending] button::after{content:" \25BC"}
.pager{display:flex;gap:8px;align-items:center;margin-top:8px}
.pager button{padding:3px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
.pager button:disabled{opacity:.4;cursor:default}
.shard{border-top:1px solid var(--line);padding-top:6px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:20px}
)CSS";
}

std::string_view html_js() {
  return R"JS(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('dg-data').textContent);
  var S = data.strings, R = data.rows;
  var SEV = ['unknown', 'info', 'low', 'medium', 'high', 'critical'];
  var STATUS = ['', 'new', 'unchanged', 'waived'];
  var table = document.getElementById('dg-findings');
  var tbody = table.tBodies[0];
  var filters = document.getElementById('dg-filters');
  var count = document.getElementById('dg-count');
  var pager = document.getElementById('dg-pager');
  var q = document.getElementById('dg-q'), stepSel = document.getElementById('dg-step');
  var statusSel = document.getElementById('dg-status'), sizeSel = document.getElementById('dg-size');
  var sevBoxes = filters.querySelectorAll('#dg-sevs input');
  var lower = null;  // lowercase strings, made on the first search
  var view = [], page = 0, sortCol = 0, sortDir = -1;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function row(r) {
    var tr = document.createElement('tr'), td;
    td = el('td'); td.appendChild(el('span', 'sev sev-' + SEV[r[0]], SEV[r[0]])); tr.appendChild(td);
    td = el('td');
    if (r[1]) { var t = el('span', 'tag tag-' + STATUS[r[1]], STATUS[r[1]]); if (r[14]) t.title = S[r[14]]; td.appendChild(t); }
    if (r[15]) {
      var n = el('span', 'tag tag-muted', 'not counted: ' + S[r[15]]); n.title = 'does not count against the verdict';
      td.appendChild(document.createTextNode(' ')); td.appendChild(n);
    }
    if (r[16]) {
      var k = el('span', 'tag tag-kev', 'KEV'); k.title = S[r[17]];
      td.appendChild(document.createTextNode(' ')); td.appendChild(k);
    }
    if (r[18]) { td.appendChild(document.createTextNode(' ')); td.appendChild(el('span', 'small muted', S[r[18]])); }
    tr.appendChild(td);
    td = el('td', '', S[r[2]]); if (r[3]) td.title = S[r[3]]; tr.appendChild(td);
    td = el('td', 'id');
    var url = S[r[5]];
    if (url && /^https?:\/\//.test(url)) {
      var a = el('a', '', S[r[4]]); a.href = url; a.rel = 'noopener noreferrer'; a.target = '_blank'; td.appendChild(a);
    } else td.appendChild(document.createTextNode(S[r[4]]));
    if (r[6]) td.appendChild(el('div', 'small muted', S[r[6]]));
    tr.appendChild(td);
    tr.appendChild(el('td', '', S[r[7]]));
    td = el('td', 'ver');
    if (r[8]) {
      td.appendChild(document.createTextNode(S[r[8]]));
      if (r[9]) { td.appendChild(document.createTextNode(' \u2192 ')); td.appendChild(el('span', 'fix', S[r[9]])); }
      else if (r[10]) { td.appendChild(document.createTextNode(' ')); td.appendChild(el('span', 'muted', '(no fix yet)')); }
    }
    tr.appendChild(td);
    tr.appendChild(el('td', 'loc', S[r[11]]));
    tr.appendChild(el('td', '', S[r[12]]));
    tr.appendChild(el('td', '', S[r[13]]));
    return tr;
  }

  function compute() {
    var sevs = {}, needle = q.value.trim().toLowerCase(), step = stepSel.value, status = statusSel.value;
    for (var i = 0; i < sevBoxes.length; i++) if (sevBoxes[i].checked) sevs[sevBoxes[i].value] = true;
    var stepIdx = -1;
    if (step) stepIdx = S.indexOf(step);
    if (needle && !lower) lower = S.map(function (s) { return s.toLowerCase(); });
    var cols = [2, 4, 6, 7, 8, 9, 11, 12, 13];
    view = [];
    for (var k = 0; k < R.length; k++) {
      var r = R[k];
      if (!sevs[r[0]]) continue;
      if (step && r[13] !== stepIdx) continue;
      if (status === 'open' ? r[1] === 3 : status === 'counted' ? (r[1] === 3 || r[15]) : status && String(r[1]) !== status) continue;
      if (needle) {
        var hit = false;
        for (var c = 0; c < cols.length && !hit; c++) hit = lower[r[cols[c]]].indexOf(needle) !== -1;
        if (!hit) continue;
      }
      view.push(k);
    }
    if (!(sortCol === 0 && sortDir === -1)) {  // the rows come worst first: that order needs no sort
      var numeric = sortCol <= 1;
      view.sort(function (a, b) {
        var x = R[a][sortCol], y = R[b][sortCol];
        if (!numeric) { x = S[x]; y = S[y]; }
        var d = x < y ? -1 : x > y ? 1 : 0;
        return d ? d * sortDir : a - b;
      });
    }
    page = 0;
  }

  function render() {
    var size = parseInt(sizeSel.value, 10) || 100;
    var pages = Math.max(1, Math.ceil(view.length / size));
    page = Math.min(page, pages - 1);
    var from = page * size, to = Math.min(view.length, from + size);
    var frag = document.createDocumentFragment();
    for (var i = from; i < to; i++) frag.appendChild(row(R[view[i]]));
    tbody.textContent = '';
    tbody.appendChild(frag);
    count.textContent = view.length === R.length
      ? R.length + (R.length === 1 ? ' finding.' : ' findings.')
      : view.length + ' of ' + R.length + ' findings match.';
    pager.textContent = '';
    function button(label, target, disabled) {
      var b = el('button', '', label); b.type = 'button'; b.disabled = disabled;
      b.addEventListener('click', function () { page = target; render(); });
      pager.appendChild(b);
    }
    button('\u00ab first', 0, page === 0);
    button('\u2039 previous', page - 1, page === 0);
    pager.appendChild(el('span', 'muted', view.length ? 'rows ' + (from + 1) + '\u2013' + to + ' of ' + view.length +
      ' \u00b7 page ' + (page + 1) + ' of ' + pages : 'no rows'));
    button('next \u203a', page + 1, page >= pages - 1);
    button('last \u00bb', pages - 1, page >= pages - 1);
  }

  function update() { compute(); render(); }

  var ths = table.tHead.rows[0].cells;
  for (var h = 0; h < ths.length; h++) (function (th) {
    var b = el('button', '', th.textContent); b.type = 'button';
    th.textContent = ''; th.appendChild(b);
    b.addEventListener('click', function () {
      var col = parseInt(th.getAttribute('data-col'), 10);
      sortDir = col === sortCol ? -sortDir : (col <= 0 ? -1 : 1);
      sortCol = col;
      for (var j = 0; j < ths.length; j++) ths[j].removeAttribute('aria-sort');
      th.setAttribute('aria-sort', sortDir < 0 ? 'descending' : 'ascending');
      update();
    });
  })(ths[h]);

  var timer = 0;
  q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  [stepSel, statusSel].forEach(function (s) { s.addEventListener('change', update); });
  sizeSel.addEventListener('change', render);
  for (var i = 0; i < sevBoxes.length; i++) sevBoxes[i].addEventListener('change', update);

  update();
  filters.hidden = false;
  pager.hidden = false;
  tbody.setAttribute('data-rendered', 'js');
  document.documentElement.setAttribute('data-dg-ready', String(Math.round(performance.now())));
})();
)JS";
}

}  // namespace dg::report

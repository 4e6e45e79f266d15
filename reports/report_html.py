"""The HTML report: one self-contained file (inline CSS, inline SVG, a few lines of optional
JS for hover details and expand/collapse; fully readable with JS disabled)."""
from __future__ import annotations

import datetime
from html import escape

from report_model import OUTCOMES, STATUSES, fmt_int, fmt_seconds, text
from report_svg import (OUTCOME_LABEL, OUTCOME_MEANING, code_map_svg, scatter_svg, swatch)

NONPASS_VISIBLE = 25      # non-passing suites shown before "show more"
FAIL_GROUPS_OPEN = 3      # failure groups expanded by default
CELL_LIST_VISIBLE = 8     # non-ok codes listed under a map before "show more"


def e(x) -> str:
    return escape(x if isinstance(x, str) else text(x), quote=True)


CSS = """
:root{--ink:#1f2328;--muted:#6a6f76;--faint:#9a9ea4;--line:#e4e4df;--bg:#f7f7f4;--card:#fff;
--ok:#2e8b65;--fail:#d55e00;--err:#8a2f68;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
body{margin:0}
.page{max-width:1180px;margin:0 auto;padding:28px 32px 64px}
header.top{display:flex;justify-content:space-between;align-items:baseline;gap:16px;flex-wrap:wrap;
border-bottom:1px solid var(--line);padding-bottom:10px;margin-bottom:22px}
header.top h1{font-size:19px;font-weight:600;margin:0;letter-spacing:.01em}
header.top .meta{color:var(--muted);font-size:13px}
h2{font-size:17px;font-weight:600;margin:40px 0 6px;padding-top:4px}
h3{font-size:15px;font-weight:600;margin:22px 0 8px}
p.lead{color:var(--muted);margin:0 0 14px;font-size:14px;max-width:860px}
nav.toc{font-size:13px;color:var(--muted);margin:16px 0 0}
nav.toc a{color:var(--muted);margin-right:14px;text-decoration:none;border-bottom:1px dotted var(--faint)}
nav.toc a:hover{color:var(--ink)}
a{color:#0b5cad}
code,.mono{font-family:var(--mono);font-size:13px}
.muted{color:var(--muted)} .faint{color:var(--faint)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px}
.verdicts{display:flex;flex-direction:column;gap:10px}
.verdict{display:flex;gap:18px;align-items:flex-start;background:var(--card);border:1px solid var(--line);
border-left:6px solid var(--faint);border-radius:10px;padding:14px 20px}
.verdict.v-pass{border-left-color:var(--ok)} .verdict.v-fail{border-left-color:var(--fail)} .verdict.v-error{border-left-color:var(--err)}
.verdict.v-incomplete{border-left-color:#b5a24a}
.badge{display:inline-block;min-width:62px;text-align:center;font-weight:700;font-size:14px;letter-spacing:.06em;
color:#fff;background:var(--faint);border-radius:6px;padding:4px 10px;margin-top:2px}
.v-pass .badge{background:var(--ok)} .v-fail .badge{background:var(--fail)} .v-error .badge{background:var(--err)}
.vbody{flex:1;min-width:0}
.vtarget{font-size:16px} .vtarget b{font-weight:600}
.vcounts{color:var(--muted);font-size:14px;margin-top:2px}
.vprofile{font-size:14px;margin-top:6px}
.vfile{color:var(--faint);font-size:12px;font-family:var(--mono);white-space:nowrap}
.bar{display:flex;height:6px;border-radius:3px;overflow:hidden;margin-top:10px;background:#eee;max-width:560px}
.bar span{display:block;height:100%}
table{border-collapse:collapse;font-size:14px;background:var(--card)}
table.grid{width:100%;border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:6px 12px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;background:#fbfbf9}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.zero{color:#c9c9c4}
td.nw{white-space:nowrap}
tr:last-child td{border-bottom:none}
.chip{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 9px;white-space:nowrap;
background:#eeeeea;color:#5f6368}
.s-pass{background:#e1f2ea;color:#1d5c40} .s-fail{background:#fbe3d6;color:#a1400a}
.s-unsupported{background:#eeeeea;color:#5f6368} .s-crash{background:#f3e0ec;color:#8a2f68}
.s-timeout{background:#dcecf7;color:#005a8c} .s-protocol-error{background:#ebe4f3;color:#5b3c88}
.s-incomplete{background:#f4efd9;color:#6b5a12}
.s-missing{background:transparent;color:var(--faint);font-weight:400}
.o-divergence{background:#fcefd2;color:#7a4d00} .o-nonconformance{background:#fbe3d6;color:#a1400a}
.o-ok{background:#e1f2ea;color:#1d5c40} .o-untested{background:#eeeeea;color:#6a6f76}
details{margin:10px 0}
details>summary{cursor:pointer;color:var(--ink);font-size:14px;padding:4px 0;list-style-position:outside}
details>summary .muted{font-weight:400}
details.group{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:6px 14px;margin:8px 0}
details.group[open]{padding-bottom:12px}
details.group>summary{font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:8px 22px;font-size:13px;margin:4px 0 16px;padding:10px 14px;
background:var(--card);border:1px solid var(--line);border-radius:8px}
.legend span.item{display:inline-flex;align-items:center;gap:7px}
.legend .meaning{color:var(--muted)}
svg.swatch{vertical-align:middle;flex:none}
.maps{display:flex;flex-wrap:wrap;gap:26px 34px;align-items:flex-start}
.maps.sbs{display:grid;grid-template-columns:repeat(var(--n),minmax(0,1fr))}
.maprow{margin:6px 0 26px}
.maprow>h3{margin-top:8px}
figure.map{margin:0;max-width:100%}
figure.map svg{max-width:100%;height:auto;display:block}
figure.map figcaption{font-size:14px;margin-bottom:6px}
figure.map figcaption b{font-weight:600}
figure.map .counts{font-size:13px;color:var(--muted);margin-top:6px}
.tip{position:fixed;display:none;z-index:10;pointer-events:none;max-width:460px;white-space:pre-wrap;
font-family:var(--mono);font-size:12px;line-height:1.45;color:#fff;background:#2b2f33;border-radius:6px;
padding:7px 10px;box-shadow:0 4px 14px rgba(0,0,0,.18)}
html[data-js=off] .jsonly{display:none}
ul.codes{list-style:none;padding:0;margin:8px 0 0;font-size:13px;max-width:540px}
ul.codes li{padding:3px 0;overflow-wrap:anywhere}
ul.codes .ff{color:var(--muted);font-size:12px;padding-left:4px} ul.codes .ff code{font-size:12px}
svg text{font-family:var(--mono)}
svg text.code{font-size:10px} svg text.val{font-size:11px}
svg text.axis{font-size:10px;fill:#8a8e94} svg text.axis-title{font-size:11px;fill:#6a6f76;font-family:system-ui,sans-serif}
svg g.cell{cursor:default} svg g.cell:hover rect:first-of-type,svg g.cell:focus rect:first-of-type{stroke:#1f2328;stroke-width:1.5}
svg g.cell:focus{outline:none}
.cols{display:grid;gap:18px;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));align-items:start}
.cols>*{min-width:0}
.tw{overflow-x:auto;max-width:100%}
.card{overflow-x:auto}
table.evidence tr.sub td{border-bottom:none;padding-top:10px;padding-bottom:2px}
.cols>.card h3{margin-top:0}
.diff{font-size:15px;margin:2px 0 10px}
.diff .knob{font-family:var(--mono);font-size:14px}
.diff .from{color:var(--muted);text-decoration:line-through;text-decoration-color:#c9c9c4}
.diff .to{font-weight:600}
table.fail td{font-family:var(--mono);font-size:13px;overflow-wrap:anywhere}
table.fail td.v{font-family:inherit;color:var(--muted);font-size:12px}
table.fail tr.repro td{padding-top:0;border-bottom:1px solid var(--line)}
table.fail tr.case td{border-bottom:none}
pre.repro{margin:0;padding:5px 10px;background:#f4f4f0;border-radius:6px;overflow-x:auto;font-size:12.5px;color:#3a3f45}
pre.repro::before{content:"$ ";color:var(--faint)}
pre.repro.msg{margin:4px 0 6px;color:#7a2c00} pre.repro.msg::before{content:""}
.compare td.st{white-space:nowrap}
.compare th.run{text-transform:none;letter-spacing:0;font-size:13px;color:var(--ink)}
.compare th.run .muted{font-weight:400;font-size:12px}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;font-size:14px;margin:0}
.kv dt{color:var(--muted)} .kv dd{margin:0}
.notes{color:#7a4d00;font-size:13px}
.dot{display:flex;flex-wrap:wrap;gap:28px;align-items:flex-start}
.dot>div{flex:0 1 380px}
.dot svg{max-width:100%;height:auto}
.run-head{margin-top:48px;padding-top:14px;border-top:2px solid var(--line)}
.run-head h2{margin-top:0}
button.toggle{font:inherit;font-size:12px;color:var(--muted);background:var(--card);border:1px solid var(--line);
border-radius:6px;padding:2px 10px;cursor:pointer;margin-left:10px;vertical-align:middle}
footer{margin-top:56px;color:var(--faint);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
@media print{details{display:block} .jsonly{display:none}}
"""

JS = """
(function(){
  var root=document.documentElement; root.setAttribute('data-js','on');
  var tip=document.createElement('div'); tip.className='tip'; tip.setAttribute('role','tooltip');
  document.body.appendChild(tip);
  // the SVG <title>s are the no-JS hover text; with JS they move into one styled tooltip
  document.querySelectorAll('g.cell').forEach(function(g){
    var t=g.querySelector('title'); if(!t) return;
    g.setAttribute('data-tip',t.textContent); g.setAttribute('aria-label',t.textContent); t.remove();
  });
  function cellOf(ev){return ev.target.closest?ev.target.closest('g.cell'):null;}
  function show(g,x,y){
    var s=g.getAttribute('data-tip'); if(!s) return;
    tip.textContent=s; tip.style.display='block';
    var w=tip.offsetWidth,h=tip.offsetHeight,vw=window.innerWidth,vh=window.innerHeight;
    tip.style.left=Math.max(4,Math.min(x+14,vw-w-8))+'px';
    tip.style.top=(y+18+h>vh?Math.max(4,y-h-10):y+18)+'px';
  }
  function hide(){tip.style.display='none';}
  document.addEventListener('mousemove',function(ev){var g=cellOf(ev); if(g) show(g,ev.clientX,ev.clientY); else hide();});
  document.addEventListener('focusin',function(ev){var g=cellOf(ev); if(!g) return hide();
    var r=g.getBoundingClientRect(); show(g,r.right,r.bottom);});
  document.addEventListener('focusout',hide);
  document.addEventListener('scroll',hide,true);
  document.addEventListener('click',function(ev){
    var b=ev.target.closest&&ev.target.closest('button.toggle'); if(!b) return;
    var sec=b.closest('section')||document, open=b.getAttribute('data-open')!=='1';
    sec.querySelectorAll('details').forEach(function(d){d.open=open;});
    b.setAttribute('data-open',open?'1':'0'); b.textContent=open?'collapse all':'expand all';
  });
  root.setAttribute('data-js','ok');
})();
"""

STATUS_BAR = {"pass": "#2e8b65", "fail": "#d55e00", "unsupported": "#c4c4bf", "crash": "#8a2f68",
              "timeout": "#0072b2", "protocol-error": "#5b3c88", "incomplete": "#b5a24a", "other": "#9a9ea4"}


def chip(status: str, label: str | None = None) -> str:
    cls = status if status in STATUSES or status == "missing" else "unknown"
    return '<span class="chip s-%s">%s</span>' % (cls, e(label if label is not None else status))


def outcome_chip(outcome: str, label: str | None = None) -> str:
    return '<span class="chip o-%s">%s</span>' % (outcome, e(label if label is not None else outcome))


class Ctx:
    def __init__(self):
        self.n = 0

    def uid(self, prefix="m"):
        self.n += 1
        return "%s%d" % (prefix, self.n)


# ----------------------------------------------------------------------------------------
# sections


def verdict_card(run) -> str:
    v = run.verdict
    t = run.totals
    bits = []
    sub = [x for x in (run.target_version, run.target_kind) if x]
    tgt = '<b>%s</b>%s' % (e(run.target), ' <span class="muted">(%s)</span>' % e(" \u00b7 ".join(sub)) if sub else "")
    counts = [e(run.counts_text())]
    if t.get("cases"):
        c = "%s cases" % fmt_int(t["cases"])
        if t.get("failed_cases"):
            c += ", %s failed" % fmt_int(t["failed_cases"])
        if t.get("refused"):
            c += ", %s refused" % fmt_int(t["refused"])
        if t.get("unobserved"):  # the target's blind spot: neither passed nor failed
            c += ", %s not observable" % fmt_int(t["unobserved"])
        counts.append(e(c))
    if run.wall is not None:
        counts.append(e(fmt_seconds(run.wall)))
    if run.tier:
        counts.append("tier " + e(run.tier))
    bits.append('<div class="vtarget">%s against profile <b>%s</b></div>' % (tgt, e(run.profile)))
    bits.append('<div class="vcounts">%s</div>' % " \u00b7 ".join(counts))
    dp = run.detected
    if dp is not None:
        if dp.diff:
            bits.append('<div class="vprofile">Behaves like <b>%s</b> with %s</div>'
                        % (e(dp.base or run.profile), diff_inline(dp)))
        elif dp.summary:
            bits.append('<div class="vprofile">%s</div>' % e(dp.summary))
    if v == "error":
        msg = next((s.message for s in run.suites if s.message), "")
        bits.append('<div class="vprofile">The target was unusable%s</div>' % (": " + e(msg) if msg else "."))
    # proportional status bar
    total = sum(t.get(s, 0) for s in STATUSES) + t.get("other", 0)
    if total:
        segs = []
        for s in STATUSES + ("other",):
            n = t.get(s, 0)
            if n:
                segs.append('<span style="width:%.3f%%;background:%s" title="%s: %s"></span>'
                            % (100.0 * n / total, STATUS_BAR[s], e(s), fmt_int(n)))
        bits.append('<div class="bar" aria-hidden="true">%s</div>' % "".join(segs))
    label = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "incomplete": "INCOMPLETE"}.get(v, "UNKNOWN")
    return ('<div class="verdict v-%s" data-verdict="%s"><span class="badge">%s</span><div class="vbody">%s</div>'
            '<div class="vfile" title="%s">%s</div></div>'
            % (e(v), e(v), label, "".join(bits), e(run.path), e(run.label)))


def diff_inline(dp) -> str:
    return "; ".join('<span class="knob mono">%s</span>: <span class="from">%s</span> \u2192 <span class="to">%s</span>'
                     % (e(k.knob), e(k.profile_value), e(k.detected_value)) for k in dp.diff)


def status_cell(n: int, status: str) -> str:
    if not n:
        return '<td class="n zero">\u00b7</td>'
    if status in ("pass", "unsupported"):
        return '<td class="n">%s</td>' % fmt_int(n)
    return '<td class="n">%s</td>' % chip(status, fmt_int(n))


def suites_by_op(run) -> str:
    rows = run.by_op()
    has_other = any(c["other"] for _, c in rows)
    cols = list(STATUSES) + (["other"] if has_other else [])
    h = ['<table class="grid"><thead><tr><th>operation</th>%s<th class="n">suites</th></tr></thead><tbody>'
         % "".join('<th class="n">%s</th>' % e(c) for c in cols)]
    for op, c in rows:
        h.append("<tr><td class=\"mono\">%s</td>%s<td class=\"n\">%s</td></tr>"
                 % (e(op), "".join(status_cell(c[s], s) for s in cols), fmt_int(sum(c.values()))))
    if len(rows) > 1:
        tot = {s: sum(c[s] for _, c in rows) for s in cols}
        h.append('<tr><td><b>all</b></td>%s<td class="n"><b>%s</b></td></tr>'
                 % ("".join(status_cell(tot[s], s) for s in cols), fmt_int(sum(tot.values()))))
    h.append("</tbody></table>")
    return "".join(h)


def kind_note(s) -> str:
    kind, knobs = s.kind()
    if kind == "nonconformance":
        return outcome_chip("nonconformance")
    if kind == "divergence":
        return outcome_chip("divergence", "; ".join(knobs).replace(";", "; ").replace(";  ", "; "))
    if kind == "mixed":
        return "%s %s" % (outcome_chip("nonconformance", "%d nonconf." % s.unexplained),
                          outcome_chip("divergence", ", ".join(knobs)))
    return ""


def suite_rows(suites) -> str:
    out = []
    for s in suites:
        note = kind_note(s)
        if s.message:
            note += ('<br>' if note else "") + '<span class="muted">%s</span>' % e(s.message)
        out.append('<tr><td>%s</td><td class="mono">%s</td><td class="nw">%s</td><td class="mono">%s</td>'
                   '<td class="n">%s</td><td class="n">%s</td><td class="n">%s</td><td>%s</td></tr>'
                   % (chip(s.status), e(s.name), e(s.formats_text()), e(s.params_text()),
                      fmt_int(s.cases) if s.cases else "", fmt_int(s.failed) if s.failed else "",
                      e(fmt_seconds(s.seconds)) if s.seconds is not None else "", note))
    return "".join(out)


SUITE_HEAD = ('<table class="grid"><thead><tr><th>status</th><th>suite</th><th>formats</th><th>params</th>'
              '<th class="n">cases</th><th class="n">failed</th><th class="n">time</th><th>detail</th></tr></thead><tbody>')


def suites_section(run) -> str:
    h = ['<section id="suites"><h2>Suites</h2>']
    if not run.suites:
        h.append('<p class="lead">No suites in this results file.</p></section>')
        return "".join(h)
    h.append('<p class="lead">%s. Failing, crashed, timed-out and protocol-error suites come first; '
             '<i>unsupported</i> means the target declared it cannot do that operation (not a failure).</p>'
             % e(run.counts_text()))
    h.append(suites_by_op(run))
    bad = run.bad_suites()
    if bad:
        h.append("<h3>Non-passing suites (%d)</h3>" % len(bad))
        h.append(SUITE_HEAD + suite_rows(bad[:NONPASS_VISIBLE]) + "</tbody></table>")
        if len(bad) > NONPASS_VISIBLE:
            h.append('<details><summary>%d more non-passing suites</summary>%s%s</tbody></table></details>'
                     % (len(bad) - NONPASS_VISIBLE, SUITE_HEAD, suite_rows(bad[NONPASS_VISIBLE:])))
    rest = [s for s in run.suites_sorted() if not s.bad]
    if rest:
        h.append('<details class="all-suites"><summary>All %s %s suites <span class="muted">(%s)</span></summary>%s%s'
                 '</tbody></table></details>'
                 % (fmt_int(len(rest)), "passing or unsupported" if any(s.status == "unsupported" for s in rest)
                    else "passing", "click to expand", SUITE_HEAD, suite_rows(rest)))
    h.append("</section>")
    return "".join(h)


def run_col_head(run) -> str:
    return ('<th class="run">%s<br><span class="muted">%s \u00b7 %s</span></th>'
            % (e(run.target), e(run.profile), e(run.label)))


def compare_section(runs) -> str:
    names = []
    seen = set()
    for r in runs:
        for s in r.suites:
            if s.name not in seen:
                seen.add(s.name)
                names.append(s.name)
    idx = [{s.name: s for s in r.suites} for r in runs]

    def row(name):
        cells = []
        for d in idx:
            s = d.get(name)
            if s is None:
                cells.append('<td class="st">%s</td>' % chip("missing", "not run"))
            else:
                extra = ' <span class="muted">%s/%s</span>' % (fmt_int(s.failed), fmt_int(s.cases)) if s.failed else ""
                cells.append('<td class="st">%s%s</td>' % (chip(s.status), extra))
        return '<tr><td class="mono">%s</td>%s</tr>' % (e(name), "".join(cells))

    def differs(name):
        """Fails somewhere, or has different statuses among the files that ran it."""
        sts = [d[name].status for d in idx if name in d]
        return any(st not in ("pass", "unsupported") for st in sts) or len(set(sts)) > 1

    head = ('<table class="grid compare"><thead><tr><th>suite</th>%s</tr></thead><tbody>'
            % "".join(run_col_head(r) for r in runs))
    def anybad(name):
        return any(name in d and d[name].bad for d in idx)

    hot = sorted((n for n in names if differs(n)), key=lambda n: 0 if anybad(n) else 1)
    cold = [n for n in names if not differs(n)]
    h = ['<section id="compare"><h2>Side by side</h2>',
         '<p class="lead">One column per results file. Suites that fail anywhere or differ between columns come first; '
         '<span class="muted">n/m</span> = failed cases / cases.</p>']
    totals = "".join("<td>%s</td>" % e(r.counts_text()) for r in runs)
    h.append(head + '<tr><td><b>totals</b></td>%s</tr>' % totals)
    h.append("".join(row(n) for n in hot) + "</tbody></table>")
    if cold:
        h.append('<details><summary>%s more suites, passing (or unsupported) alike wherever they ran</summary>%s%s'
                 '</tbody></table></details>' % (fmt_int(len(cold)), head, "".join(row(n) for n in cold)))
    h.append("</section>")
    return "".join(h)


def detected_card(run, with_title: bool) -> str:
    h = ['<div class="card detected">']
    if with_title:
        h.append("<h3>%s <span class=\"muted\">\u00b7 %s</span></h3>" % (e(run.target), e(run.profile)))
    dp = run.detected
    if dp is None:
        if run.verdict == "pass":
            h.append('<p>Every supported suite passed: the target behaves as profile <b>%s</b>.</p>' % e(run.profile))
        else:
            h.append('<p class="muted">No profile detection in this results file.</p>')
        h.append("</div>")
        return "".join(h)
    if dp.diff:
        h.append('<div class="diff">%s</div>' % diff_inline(dp))
    if dp.summary:
        h.append('<p class="muted" style="margin:0 0 8px">%s</p>' % e(dp.summary))
    if dp.matches is True and not dp.diff:
        h.append('<p>Matches profile <b>%s</b>.</p>' % e(dp.base or run.profile))
    if dp.diff:
        h.append('<table class="grid"><thead><tr><th>knob</th><th>%s</th><th>detected</th><th class="n">explains</th>'
                 '</tr></thead><tbody>' % e(dp.base or run.profile))
        for k in dp.diff:
            h.append('<tr><td class="mono">%s</td><td class="mono muted">%s</td><td class="mono"><b>%s</b></td>'
                     '<td class="n">%s</td></tr>' % (e(k.knob), e(k.profile_value), e(k.detected_value),
                                                   fmt_int(k.explains) + " failures" if k.explains is not None else ""))
        h.append("</tbody></table>")
        ev = [(k, x) for k in dp.diff for x in k.evidence[:3]]
        if ev:
            h.append('<details open><summary>Evidence <span class="muted">(cases each detected value reproduces)'
                     '</span></summary><table class="grid fail evidence"><thead><tr><th>suite</th>'
                     '<th>input</th><th>expected \u2192 actual</th></tr></thead><tbody>')
            last = None
            for k, x in ev:
                if k is not last:
                    h.append('<tr class="sub"><td colspan="3">%s</td></tr>'
                             % outcome_chip("divergence", "%s=%s" % (k.knob, k.detected_value)))
                    last = k
                h.append('<tr><td>%s</td><td>%s</td><td>%s \u2192 %s</td></tr>'
                         % (e(text(x.get("suite"))), e(text(x.get("input"))),
                            e(text(x.get("expected"))), e(text(x.get("actual")))))
            h.append("</tbody></table></details>")
    elif not dp.summary:
        h.append('<p class="muted">No knob value explains the failures.</p>')
    if dp.unexplained:
        h.append('<p>%s <b>%s</b> not explained by any knob value: nonconformance.</p>'
                 % (outcome_chip("nonconformance", fmt_int(dp.unexplained)),
                    "failure" if dp.unexplained == 1 else "failures"))
    elif dp.unexplained == 0 and dp.diff:
        h.append('<p class="muted">Every failure is explained by the knob values above (implementation-defined).</p>')
    h.append("</div>")
    return "".join(h)


def detected_section(runs) -> str:
    if len(runs) == 1:
        body = detected_card(runs[0], False)
    else:
        body = '<div class="cols">%s</div>' % "".join(detected_card(r, True) for r in runs)
    return ('<section id="profile"><h2>Detected profile</h2><p class="lead">Where the spec leaves a choice: the knob '
            'values, starting from the run\'s profile, that reproduce the target\'s outputs. A failure such a value '
            'explains is a <i>divergence</i> (implementation-defined); one it does not is a <i>nonconformance</i>.</p>'
            '%s</section>' % body)


def legend(ctx) -> str:
    items = []
    for o in OUTCOMES:
        items.append('<span class="item">%s<b>%s</b><span class="meaning">%s</span></span>'
                     % (swatch(o, ctx.uid("lg")), e(OUTCOME_LABEL[o]), e(OUTCOME_MEANING[o])))
    return ('<div class="legend" role="list">%s<span class="item meaning">pattern: stripes = divergence, '
            'cross-hatch = nonconformance</span></div>' % "".join(items))


def code_ranges(codes, hexw) -> str:
    out = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        a, b = codes[i], codes[j]
        out.append("0x%0*x" % (hexw, a) if a == b else "0x%0*x\u20130x%0*x" % (hexw, a, hexw, b))
        i = j + 1
    return ", ".join(out)


def cell_item(cm, cl, run, hexw) -> str:
    ff = cl.first_failure
    detail = ""
    if ff:
        f = run.find_failure(text(ff.get("suite")), text(ff.get("input")))
        detail = ('<br><span class="ff">%s: <code>%s</code> \u2192 expected <code>%s</code>, actual <code>%s</code>%s</span>'
                  % (e(text(ff.get("suite"), "?")), e(text(ff.get("input"), "?")),
                     e(text(ff.get("expected"), "?")), e(text(ff.get("actual"), "?")),
                     " (%s)" % e(f.explained_by) if f and f.explained_by else ""))
    return ('<li>%s <code>0x%0*x</code> <span class="muted">= %s</span>%s</li>'
            % (outcome_chip(cl.outcome), hexw, cl.code, e(cl.value), detail))


def code_map_figure(cm, run, ctx, caption: str) -> str:
    hexw = max(1, (cm.bits + 3) // 4)
    h = ['<figure class="map" data-format="%s">' % e(cm.format), "<figcaption>%s</figcaption>" % caption]
    if cm.drawable:
        h.append(code_map_svg(cm, run, ctx.uid("cm")))
    else:
        h.append('<p class="muted">%d-bit format: too many codes to draw; counts only.</p>' % cm.bits)
    parts = ["%s %s" % (fmt_int(cm.counts[o]), o) for o in OUTCOMES if cm.counts[o]]
    h.append('<div class="counts">%s codes: %s</div>' % (fmt_int(1 << cm.bits), " \u00b7 ".join(parts)))
    bad = [c for c in cm.cells if c.outcome in ("nonconformance", "divergence")]
    bad.sort(key=lambda c: (0 if c.outcome == "nonconformance" else 1, c.code))
    if bad:
        h.append('<ul class="codes">%s</ul>' % "".join(cell_item(cm, c, run, hexw) for c in bad[:CELL_LIST_VISIBLE]))
        if len(bad) > CELL_LIST_VISIBLE:
            h.append('<details><summary>%d more failing codes</summary><ul class="codes">%s</ul></details>'
                     % (len(bad) - CELL_LIST_VISIBLE,
                        "".join(cell_item(cm, c, run, hexw) for c in bad[CELL_LIST_VISIBLE:])))
    untested = [c.code for c in cm.cells if c.outcome == "untested"]
    if untested and cm.drawable and len(untested) < len(cm.cells):
        h.append('<div class="counts">untested: <span class="mono">%s</span></div>' % e(code_ranges(untested, hexw)))
    h.append("</figure>")
    return "".join(h)


def code_maps_section(runs, ctx) -> str:
    fmts = []
    for r in runs:
        for cm in r.code_maps:
            if cm.format not in fmts:
                fmts.append(cm.format)
    if not fmts:
        return ""
    h = ['<section id="codemaps"><h2>Code maps</h2><p class="lead">Every code of each format, coloured by the '
         'outcome of the cases that expect it. Row = high bits, column = low bits; hover a cell for its exact value '
         'and first failing input.</p>', legend(ctx)]
    if len(runs) == 1:
        run = runs[0]
        h.append('<div class="maps">')
        for cm in run.code_maps:
            cap = "<b>%s</b> <span class=\"muted\">%s</span>" % (e(cm.format), e(cm.long_name))
            h.append(code_map_figure(cm, run, ctx, cap))
        h.append("</div>")
    else:
        for fmt in fmts:
            sample = next(cm for r in runs for cm in r.code_maps if cm.format == fmt)
            sbs = ' sbs" style="--n:%d' % len(runs) if len(runs) <= 3 else ""
            h.append('<div class="maprow" data-format="%s"><h3>%s <span class="muted">%s</span></h3><div class="maps%s">'
                     % (e(fmt), e(fmt), e(sample.long_name), sbs))
            for r in runs:
                cm = next((c for c in r.code_maps if c.format == fmt), None)
                cap = "<b>%s</b> <span class=\"muted\">\u00b7 %s \u00b7 %s</span>" % (e(r.target), e(r.profile), e(r.label))
                if cm is None:
                    h.append('<figure class="map missing"><figcaption>%s</figcaption><p class="muted">not in this '
                             'results file</p></figure>' % cap)
                else:
                    h.append(code_map_figure(cm, r, ctx, cap))
            h.append("</div></div>")
    h.append("</section>")
    return "".join(h)


def failure_group(s, run, open_: bool) -> str:
    if s.status == "fail":
        what = "%s of %s cases failed" % (fmt_int(s.failed), fmt_int(s.cases)) if s.cases else "%s failed" % fmt_int(s.failed)
        kind, knobs = s.kind()
        if kind == "nonconformance":
            what += "; none explained by a knob value" if len(s.failures) == s.failed else \
                "; the %d recorded: none explained by a knob value" % len(s.failures)
        elif kind == "divergence":
            what += "; explained by " + ", ".join(knobs)
        elif kind == "mixed":
            what += "; %d of the %d recorded unexplained" % (s.unexplained, len(s.failures))
    else:
        what = {"crash": "crashed", "timeout": "timed out", "protocol-error": "broke the process protocol"}.get(
            s.status, "status " + s.status)
    h = ['<details class="group"%s><summary>%s <span class="mono">%s</span> <span class="muted">\u2014 %s</span>'
         '</summary>' % (" open" if open_ else "", chip(s.status), e(s.name), e(what))]
    if s.message:
        h.append('<pre class="repro msg"><code>%s</code></pre>' % e(s.message))
    if s.failures:
        h.append('<table class="grid fail"><thead><tr><th>input</th><th>expected</th><th>actual</th><th>explained by</th>'
                 '</tr></thead><tbody>')
        for f in s.failures:
            def bv(bits_, val):
                return "%s%s" % (e(bits_ or "\u2014"), '<br><span class="v">%s</span>' % e(val) if val else "")
            expl = outcome_chip("divergence", f.explained_by.replace(";", "; ")) if f.explained_by else outcome_chip("nonconformance")
            h.append('<tr class="case"><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>'
                     % (bv(f.input, f.input_value), bv(f.expected, f.expected_value), bv(f.actual, f.actual_value), expl))
            if f.reproduce or f.message:
                h.append('<tr class="repro"><td colspan="4">%s%s</td></tr>'
                         % ('<pre class="repro"><code>%s</code></pre>' % e(f.reproduce) if f.reproduce else "",
                            '<span class="muted">%s</span>' % e(f.message) if f.message else ""))
        h.append("</tbody></table>")
        if s.failed > len(s.failures):
            h.append('<p class="muted">First %d of %s failing cases shown (the file keeps at most --max-failures per '
                     'suite).</p>' % (len(s.failures), fmt_int(s.failed)))
    elif s.status == "fail":
        h.append('<p class="muted">No failing cases recorded in the file.</p>')
    elif not s.message:
        h.append('<p class="muted">No cases recorded.</p>')
    h.append("</details>")
    return "".join(h)


def failures_section(run, sid: str) -> str:
    bad = run.bad_suites()
    if not bad:
        return ""
    h = ['<section id="%s"><h2>Failures <button class="toggle jsonly" type="button">expand all</button></h2>'
         '<p class="lead">Per non-passing suite: the first failing cases (bit patterns, with values), whether a knob '
         'value explains them, and the command that reproduces each.</p>' % e(sid)]
    for i, s in enumerate(bad):
        h.append(failure_group(s, run, i < FAIL_GROUPS_OPEN))
    h.append("</section>")
    return "".join(h)


def dot_section(run, sid: str) -> str:
    d = run.dot
    if d is None:
        return ""
    h = ['<section id="%s"><h2>Dot-product fingerprint</h2><p class="lead">The accumulation model fitted to the '
         'target\'s dot products%s.</p><div class="dot"><div>' % (e(sid), " (" + e(d.model) + ")" if d.model else "")]
    rows = d.params + d.other
    if rows:
        h.append('<table class="grid"><thead><tr><th>parameter</th><th>fitted</th></tr></thead><tbody>')
        for k, v in rows:
            h.append('<tr><td class="mono">%s</td><td class="mono">%s</td></tr>' % (e(k), e(v)))
        h.append("</tbody></table>")
    if d.preset_name:
        info = ", ".join("%s %s" % (k, v) for k, v in d.preset_info)
        h.append('<p>Nearest preset: <b>%s</b>%s</p>' % (e(d.preset_name), ' <span class="muted">(%s)</span>' % e(info)
                                                          if info else ""))
    if d.presets:
        h.append('<table class="grid"><thead><tr><th>preset</th><th class="n">distance</th></tr></thead><tbody>%s'
                 '</tbody></table>' % "".join('<tr><td>%s</td><td class="n">%s</td></tr>' % (e(n), e(x))
                                              for n, x in d.presets))
    h.append("</div>")
    if d.errors:
        h.append('<figure class="map" style="margin:0"><figcaption><b>target error vs exact result</b> '
                 '<span class="muted">(%s points)</span></figcaption>%s<div class="counts">'
                 '<span style="color:#0072b2">\u25cf</span> |error| \u2264 0.5 ulp &nbsp; '
                 '<span style="color:#d55e00">\u25cf</span> larger</div></figure>'
                 % (fmt_int(len(d.errors)), scatter_svg(d.errors)))
    h.append("</div></section>")
    return "".join(h)


def details_section(run, sid: str) -> str:
    kv = [("results file", run.path), ("schema", run.schema), ("tool", run.tool),
          ("target", " \u00b7 ".join(x for x in (run.target, run.target_spec, run.target_kind, run.target_version) if x)),
          ("profile", run.profile), ("tier", run.tier), ("seed", run.seed), ("started (UTC)", run.started),
          ("wall time", fmt_seconds(run.wall) if run.wall is not None else ""), ("command", run.command)]
    h = ['<details id="%s" class="group"><summary>Run details <span class="muted">\u2014 %s</span></summary><dl class="kv">'
         % (e(sid), e(run.label))]
    for k, v in kv:
        if v:
            h.append("<dt>%s</dt><dd%s>%s</dd>" % (e(k), ' class="mono"' if k in ("command", "results file") else "", e(v)))
    if run.knobs:
        h.append("<dt>profile knobs</dt><dd class=\"mono\">%s</dd>"
                 % "<br>".join("%s = %s" % (e(k), e(v)) for k, v in run.knobs))
    h.append("</dl>")
    if run.notes:
        h.append('<ul class="notes">%s</ul>' % "".join("<li>%s</li>" % e(n) for n in run.notes))
    h.append("</details>")
    return "".join(h)


# ----------------------------------------------------------------------------------------


def render(runs, now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.timezone.utc)
    ctx = Ctx()
    multi = len(runs) > 1
    worst = "pass"
    for r in runs:
        if r.verdict == "error" or (r.verdict == "fail" and worst != "error") or (r.verdict == "unknown" and worst == "pass"):
            worst = r.verdict
    title = "mxconform: %s \u2014 %s" % (", ".join(r.target for r in runs[:3]) + (" \u2026" if len(runs) > 3 else ""),
                                        worst.upper())
    toc = [("suites" if not multi else "compare", "Suites")]
    if any(r.code_maps for r in runs):
        toc.append(("codemaps", "Code maps"))
    toc.append(("profile", "Detected profile"))
    body = []
    body.append('<header class="top"><h1>mxconform conformance report</h1><div class="meta">%s \u00b7 generated %s</div>'
                '</header>' % ("%d results files" % len(runs) if multi else e(runs[0].label),
                               e(now.strftime("%Y-%m-%d %H:%M UTC"))))
    body.append('<section id="verdict"><div class="verdicts">%s</div>' % "".join(verdict_card(r) for r in runs))
    per_run = []
    for i, r in enumerate(runs):
        sfx = "-%d" % (i + 1) if multi else ""
        parts = [failures_section(r, "failures" + sfx), dot_section(r, "dot" + sfx), details_section(r, "details" + sfx)]
        if not multi:
            if parts[0]:
                toc.append(("failures", "Failures"))
            if parts[1]:
                toc.append(("dot", "Dot product"))
            toc.append(("details", "Run details"))
        else:
            toc.append(("run-%d" % (i + 1), r.target))
        per_run.append(parts)
    body.append('<nav class="toc">%s</nav></section>' % "".join('<a href="#%s">%s</a>' % (e(a), e(b)) for a, b in toc))
    if multi:
        body.append(compare_section(runs))
    else:
        body.append(suites_section(runs[0]))
    body.append(code_maps_section(runs, ctx))
    body.append(detected_section(runs))
    for i, (r, parts) in enumerate(zip(runs, per_run)):
        if multi:
            body.append('<div class="run-head" id="run-%d"><h2>%s <span class="muted">\u00b7 %s \u00b7 %s</span></h2></div>'
                        % (i + 1, e(r.target), e(r.profile), e(r.label)))
        body.extend(p for p in parts if p)
    body.append('<footer>Generated by reports/mxreport.py from %s. Self-contained: no network, no external assets; '
                'readable without JavaScript.</footer>' % e(", ".join(r.label for r in runs)))
    page = "\n".join(body)
    # every table scrolls inside its own box instead of widening the page (escaped data can
    # never contain these tags, so the replacement only meets our own markup)
    page = page.replace('<table class="grid', '<div class="tw"><table class="grid').replace("</table>", "</table></div>")
    return ('<!DOCTYPE html>\n<html lang="en" data-js="off"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light">'
            "<title>%s</title><style>%s</style></head>\n<body><div class=\"page\">\n%s\n</div><script>%s</script>"
            "</body></html>\n" % (e(title), CSS, page, JS))

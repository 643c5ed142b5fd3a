//! The HTML reporter: the Markdown review as one self-contained page for people who
//! do not read Markdown. Inline CSS and one inline script (filters and sortable
//! columns), no font, no image, no external asset, and a Content-Security-Policy that
//! forbids loading anything and runs only that script, by its hash, so it works
//! offline and from a mail attachment. Without script the page is complete: the
//! filter controls stay hidden and every agent is shown. Links (to a repository's
//! web host, to the cited surveys) are only followed when clicked. Every string from
//! the inventory goes through [`escape`].

use std::io::{self, Write};
use std::sync::LazyLock;

use base64::Engine;
use sha2::{Digest, Sha256};

use super::summary::{self, percent, Summary, Trend};
use super::{links, ReportOptions};
use crate::inventory::{Inventory, Status, Unit};

/// Evidence lines shown before the rest fold into a `<details>`.
const EVIDENCE_SHOWN: usize = 6;

/// Escapes text for HTML element content and double- or single-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--accent:#0969da}
*{box-sizing:border-box}
body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);margin:0;padding:24px 32px;background:#fff}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:0 0 6px}
.meta{color:var(--muted);margin:0}
.cards{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:12px;background:var(--bg)}
.card .name{font-weight:600}
.card .value{font-size:22px;font-weight:600;margin:2px 0 6px}
.card .value small{font-size:13px;font-weight:400;color:var(--muted)}
.bar{position:relative;height:12px;background:#e6eaef;border-radius:6px}
.fill{position:absolute;left:0;top:0;bottom:0;background:var(--accent);border-radius:6px}
.ref{position:absolute;top:-4px;bottom:-4px;width:2px;background:var(--fg)}
.ind{color:var(--muted);font-size:12px;margin-top:8px}
.legend{color:var(--muted);font-size:12px;margin:10px 0 0}
.groups{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:12px;margin-top:16px}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.agents td{font-size:13px}
.agents td.unit{font-weight:600;min-width:150px;overflow-wrap:anywhere}
.agents th{font-size:12px}
.agents td.unit span{display:block;font-weight:400;color:var(--muted)}
.pill{display:inline-block;padding:0 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600}
.risk-high{color:#b42318}.risk-medium{color:#b54708}
.governed{background:var(--ok)}.partial{background:var(--warn)}.shadow{background:var(--bad)}
.no{color:var(--bad)}
ul.ev{margin:0;padding:0;list-style:none}
ul.ev li{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;margin-bottom:3px}
td.evid{min-width:280px}
ul.ev .rule{color:var(--muted)}
ul.ev code{display:block;color:#0a3069;white-space:pre-wrap}
details summary{cursor:pointer;color:var(--accent);font-size:12px}
code.k{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
footer{margin-top:28px;color:var(--muted);font-size:12px}
.hint{color:var(--warn)}
td.why{min-width:220px;font-size:12px}
td.why b{font-weight:600}
.uses div{margin-bottom:2px}
svg.links-graph{max-width:1100px;display:block;margin:8px 0;font:11px system-ui,sans-serif}
.links-graph .edge path{fill:none;stroke:#8c959f;stroke-width:1.2}.links-graph .edge polygon{fill:#8c959f}
.links-graph .edge.a2a path{stroke:#0969da}.links-graph .edge.a2a polygon{fill:#0969da}
.links-graph .edge.mcp path{stroke:#8250df}.links-graph .edge.mcp polygon{fill:#8250df}
.links-graph .edge.http path{stroke:#57606a;stroke-dasharray:4 3}.links-graph .edge.http polygon{fill:#57606a}
.links-graph .node circle{stroke:#fff;stroke-width:1.5}
.links-graph .node.governed circle{fill:var(--ok)}.links-graph .node.partial circle{fill:var(--warn)}
.links-graph .node.shadow circle{fill:var(--bad)}.links-graph .node.external circle{fill:#fff;stroke:#57606a;stroke-dasharray:2 2}
.links-graph text{fill:var(--fg,#1f2328)}
.uses .lab{color:var(--muted);font-size:12px}
#filters{margin:0 0 10px;display:flex;gap:14px;align-items:center;flex-wrap:wrap}
#filters[hidden]{display:none}
th[data-sort]{cursor:pointer}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
sup a,ol.src a{color:var(--accent)}
ol.src{color:var(--muted);font-size:12px;padding-left:20px}
.up{color:var(--ok)}.down{color:var(--bad)}
@media print{body{padding:0}.cards{grid-template-columns:repeat(2,1fr)}}
"#;

/// The page's one script: filter controls (status, owner, repository; the choice kept in
/// a `#filter=` fragment, so a link restores it) and sortable columns. It reads only
/// the page; it loads and sends nothing.
pub const SCRIPT: &str = r##"(function(){"use strict";
var table=document.getElementById("agents"),bar=document.getElementById("filters");
if(!table||!bar)return;
bar.hidden=false;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var selects=Array.prototype.slice.call(bar.querySelectorAll("select"));
var shown=document.getElementById("shown");
function apply(){var want={},parts=[],n=0;
selects.forEach(function(s){if(s.value){want[s.name]=s.value;parts.push(s.name+":"+encodeURIComponent(s.value));}});
rows.forEach(function(r){var ok=Object.keys(want).every(function(k){return r.getAttribute("data-"+k)===want[k];});r.hidden=!ok;if(ok)n++;});
shown.textContent=n+" of "+rows.length+" shown";
var h=parts.length?"#filter="+parts.join(";"):"";
if(location.hash!==h){try{history.replaceState(null,"",h||location.pathname+location.search);}catch(e){}}}
function restore(){var m=/^#filter=(.*)$/.exec(location.hash);
selects.forEach(function(s){s.value="";});
if(m)m[1].split(";").forEach(function(p){var i=p.indexOf(":"),v;if(i<0)return;
try{v=decodeURIComponent(p.slice(i+1));}catch(e){return;}
selects.forEach(function(s){if(s.name===p.slice(0,i)&&Array.prototype.some.call(s.options,function(o){return o.value===v;}))s.value=v;});});
apply();}
selects.forEach(function(s){s.addEventListener("change",apply);});
window.addEventListener("hashchange",restore);
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,col){if(!th.hasAttribute("data-sort"))return;
th.tabIndex=0;var dir=1;
function sort(){var num=th.getAttribute("data-sort")==="n";
rows.sort(function(a,b){var x=a.cells[col].getAttribute("data-key")||a.cells[col].textContent,y=b.cells[col].getAttribute("data-key")||b.cells[col].textContent;
return dir*(num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y));});
rows.forEach(function(r){body.appendChild(r);});
Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",dir>0?"ascending":"descending");dir=-dir;}
th.addEventListener("click",sort);
th.addEventListener("keydown",function(e){if(e.key==="Enter"||e.key===" "){e.preventDefault();sort();}});});
restore();})();"##;

/// The CSP source that allows [`SCRIPT`] and nothing else: `'sha256-…'` of its bytes,
/// computed from the constant itself, so an edit to the script cannot leave a stale
/// hash behind.
pub static SCRIPT_HASH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
});

/// The links: a drawing of the units that call each other (coloured by status) and a
/// table of every link, the units' own structure included.
fn links_section(inv: &Inventory, w: &mut dyn Write) -> io::Result<()> {
    if inv.links.is_empty() {
        return Ok(());
    }
    writeln!(w, "<section id=\"links\"><h2>Links</h2>")?;
    if let Some(svg) = super::graph::svg(inv) {
        writeln!(
            w,
            "<p class=\"legend\">Arrows point from the caller: A2A blue, MCP purple, HTTP \
             dashed; dots are units by status, hollow dots endpoints outside the scan.</p>{svg}"
        )?;
    }
    writeln!(
        w,
        "<table class=\"links\"><thead><tr><th>From</th><th>To</th><th>Protocol</th>\
         <th>Endpoint or names</th><th>Matched by</th></tr></thead><tbody>"
    )?;
    for l in &inv.links {
        let to = if super::graph::is_structure(l) {
            "(itself)".to_string()
        } else {
            escape(&super::graph::end_name(inv, &l.to))
        };
        let what = match &l.endpoint {
            Some(e) => escape(e),
            None => list(&l.names),
        };
        writeln!(
            w,
            "<tr><td>{}</td><td>{to}</td><td>{}</td><td><code class=\"k\">{what}</code></td><td>{}</td></tr>",
            escape(&super::graph::unit_name(inv, &l.from)),
            escape(&l.protocol),
            escape(l.via.as_deref().unwrap_or("-")),
        )?;
    }
    writeln!(w, "</tbody></table></section>")
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "<span class=\"no\">-</span>".into()
    } else {
        escape(&v.join(", "))
    }
}

fn signal(s: &crate::inventory::Signal) -> String {
    if s.present {
        escape(&summary::signal_cell(s))
    } else {
        "<span class=\"no\">none</span>".into()
    }
}

fn status_pill(s: Status) -> String {
    format!("<span class=\"pill {0}\">{0}</span>", s.as_str())
}

fn status_key(s: Status) -> u8 {
    match s {
        Status::Governed => 0,
        Status::Partial => 1,
        Status::Shadow => 2,
    }
}

/// `text` as a link to `url` when there is one.
fn linked(text: &str, url: Option<String>) -> String {
    match url {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
            escape(&u),
            escape(text)
        ),
        None => escape(text),
    }
}

fn evidence_item(u: &Unit, commit: Option<&str>, e: &crate::model::Evidence) -> String {
    let place = match e.cell {
        Some(c) => format!("{}[cell {c}]:{}", e.path, e.line),
        None => format!("{}:{}", e.path, e.line),
    };
    // A notebook's line counts within its cell: the file is linked, not the line.
    let url = match e.cell {
        Some(_) => links::file_line(&u.repo, commit, &e.path, 1),
        None => links::file_line(&u.repo, commit, &e.path, e.line),
    };
    format!(
        "<li>{} <span class=\"rule\">{}</span><code>{}</code></li>",
        linked(&place, url),
        escape(&e.rule_id),
        escape(&e.snippet)
    )
}

fn evidence_cell(u: &Unit, commit: Option<&str>) -> String {
    let items: Vec<String> = summary::ordered_evidence(u)
        .into_iter()
        .map(|e| evidence_item(u, commit, e))
        .collect();
    let mut out = String::from("<ul class=\"ev\">");
    for i in items.iter().take(EVIDENCE_SHOWN) {
        out.push_str(i);
    }
    out.push_str("</ul>");
    if items.len() > EVIDENCE_SHOWN {
        out.push_str(&format!(
            "<details><summary>{} more</summary><ul class=\"ev\">",
            items.len() - EVIDENCE_SHOWN
        ));
        for i in &items[EVIDENCE_SHOWN..] {
            out.push_str(i);
        }
        out.push_str("</ul></details>");
    }
    out
}

/// What a unit uses, as labelled lists: providers, frameworks, models, MCP servers and
/// side-effecting tools; an MCP-only unit shows its servers.
fn uses_cell(u: &Unit) -> String {
    let models: Vec<String> = u.models.iter().map(|m| m.id.clone()).collect();
    let parts = [
        ("Providers", u.providers.clone()),
        ("Frameworks", u.frameworks.clone()),
        ("Models", models),
        ("MCP servers", summary::mcp_names(u)),
        ("Side-effecting tools", summary::tool_names(u)),
    ];
    let mut out = String::new();
    for (label, v) in parts.iter().filter(|(_, v)| !v.is_empty()) {
        out.push_str(&format!(
            "<div><span class=\"lab\">{label}:</span> {}</div>",
            escape(&v.join(", "))
        ));
    }
    if out.is_empty() {
        out.push_str("<span class=\"no\">-</span>");
    }
    out
}

fn owner_cell(u: &Unit) -> String {
    match summary::owner_text(u) {
        None => "<span class=\"no\">none</span>".into(),
        Some(t) if summary::owner_class(u) == "hint" => {
            format!("<span class=\"hint\">{}</span>", escape(&t))
        }
        Some(t) => escape(&t),
    }
}

fn why_cell(inv: &Inventory, u: &Unit) -> String {
    let x = inv.status_rule.explain(u);
    let mut cell = match &x.fix {
        Some(fix) => format!("{}<br><b>Fix:</b> {}", escape(&x.why), escape(fix)),
        None => escape(&x.why),
    };
    if u.registry == Some(crate::inventory::Registration::Unregistered) {
        cell.push_str(&format!(
            "<br><b>Not in the registry:</b> <code>{}</code>",
            escape(&summary::register_fix(u))
        ));
    }
    cell
}

/// The risk level, then its reasons.
fn risk_cell(u: &Unit) -> String {
    let reasons = summary::risk_reasons(u);
    let level = escape(summary::risk_level(u));
    if reasons.is_empty() {
        level
    } else {
        format!(
            "<b class=\"risk-{level}\">{level}</b><br>{}",
            reasons
                .iter()
                .map(|r| escape(r))
                .collect::<Vec<_>>()
                .join("<br>")
        )
    }
}

fn count_table(
    w: &mut dyn Write,
    title: &str,
    head: &str,
    rows: &[(String, usize)],
    total: usize,
) -> io::Result<()> {
    writeln!(
        w,
        "<div><h3>{title}</h3><table><tr><th>{head}</th><th>Agents</th><th>Share</th></tr>"
    )?;
    if rows.is_empty() {
        writeln!(w, "<tr><td colspan=\"3\">none named</td></tr>")?;
    }
    for (name, n) in rows {
        writeln!(
            w,
            "<tr><td>{}</td><td class=\"n\">{n}</td><td class=\"n\">{}%</td></tr>",
            escape(name),
            percent(*n, total)
        )?;
    }
    writeln!(w, "</table></div>")
}

fn select(
    w: &mut dyn Write,
    name: &str,
    label: &str,
    options: &[(String, String)],
) -> io::Result<()> {
    write!(
        w,
        "<label>{label} <select name=\"{name}\"><option value=\"\">all</option>"
    )?;
    for (value, text) in options {
        write!(
            w,
            "<option value=\"{}\">{}</option>",
            escape(value),
            escape(text)
        )?;
    }
    writeln!(w, "</select></label>")
}

fn trend(w: &mut dyn Write, t: &Trend) -> io::Result<()> {
    writeln!(
        w,
        "<section><h2>Since the previous inventory</h2><table class=\"trend\">\
         <tr><th>Control</th><th>Before</th><th>Now</th><th>Change</th></tr>"
    )?;
    // More agents is neither good nor bad; more coverage is good.
    let change = |was: u32, is: u32, unit: &str| {
        let class = match is.cmp(&was) {
            _ if unit.is_empty() => "",
            std::cmp::Ordering::Greater => "up",
            std::cmp::Ordering::Less => "down",
            std::cmp::Ordering::Equal => "",
        };
        format!(
            "<td class=\"n {class}\">{}{unit}</td>",
            summary::points(was, is)
        )
    };
    writeln!(
        w,
        "<tr><td>Agents</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}</tr>",
        t.units.0,
        t.units.1,
        change(t.units.0 as u32, t.units.1 as u32, "")
    )?;
    for (name, was, is) in &t.controls {
        writeln!(
            w,
            "<tr><td>{name}</td><td class=\"n\">{was}%</td><td class=\"n\">{is}%</td>{}</tr>",
            change(*was, *is, " pts")
        )?;
    }
    writeln!(w, "</table>")?;
    for (title, list) in [
        ("New agents", &t.new_agents),
        ("Removed agents", &t.removed_agents),
    ] {
        writeln!(w, "<h3>{title} ({})</h3><ul>", list.len())?;
        if list.is_empty() {
            writeln!(w, "<li>none</li>")?;
        }
        for a in list {
            writeln!(w, "<li>{}</li>", escape(a))?;
        }
        writeln!(w, "</ul>")?;
    }
    writeln!(w, "</section>")
}

/// Writes `inv` as one self-contained HTML page.
pub fn write(inv: &Inventory, opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let s = Summary::of(inv);
    writeln!(w, "<!DOCTYPE html>")?;
    writeln!(w, "<html lang=\"en\"><head><meta charset=\"utf-8\">")?;
    writeln!(
        w,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src {}; base-uri 'none'; form-action 'none'\">",
        *SCRIPT_HASH
    )?;
    writeln!(
        w,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(w, "<meta name=\"referrer\" content=\"no-referrer\">")?;
    writeln!(w, "<title>AI agent inventory</title>")?;
    writeln!(w, "<style>{STYLE}</style></head><body>")?;
    writeln!(w, "<header><h1>AI agent inventory</h1>")?;
    writeln!(
        w,
        "<p class=\"meta\">{} {} · {} agent unit(s) in {} of {} repositor{} · scanned: {}</p>",
        escape(&inv.scanner.name),
        escape(&inv.scanner.version),
        s.units,
        s.repositories_with_ai,
        s.repositories,
        if s.repositories == 1 { "y" } else { "ies" },
        escape(&inv.sources.join(", ")),
    )?;
    writeln!(
        w,
        "<p class=\"meta\">{}</p></header>",
        escape(&super::anchors::line(inv, super::anchors::DOCUMENT_WIDTH))
    )?;
    writeln!(w, "<section><h2>Governance summary</h2>")?;
    if s.units == 0 {
        let none = if s.secrets > 0 {
            "No agent units found."
        } else {
            "No AI usage found."
        };
        writeln!(w, "<p>{none}</p></section>")?;
    } else {
        writeln!(w, "<div class=\"cards\">")?;
        for c in &s.controls {
            let (reference, note) = match c.industry {
                Some(i) => (
                    format!(
                        "<div class=\"ref\" style=\"left:{}%\" title=\"{}\"></div>",
                        i.percent.min(100),
                        escape(i.text)
                    ),
                    format!(
                        "{} <sup><a href=\"#source-{n}\">[{n}]</a></sup>",
                        escape(i.text),
                        n = i.source + 1
                    ),
                ),
                None => (String::new(), "no survey figure we can cite".to_string()),
            };
            writeln!(
                w,
                "<div class=\"card\"><div class=\"name\">{}</div>\
                 <div class=\"value\">{}% <small>{} of {} agents</small></div>\
                 <div class=\"bar\"><div class=\"fill\" style=\"width:{}%\"></div>{reference}</div>\
                 <div class=\"ind\">{note}</div></div>",
                c.name,
                c.percent,
                c.count,
                s.units,
                c.percent.min(100),
            )?;
        }
        writeln!(w, "</div>")?;
        let hinted = if s.hinted > 0 {
            format!(
                " Owner counts named owners (a declaration, CODEOWNERS, a catalog) only; {} \
                 more agent(s) have just a <span class=\"hint\">hint</span> (package authors).",
                s.hinted
            )
        } else {
            String::new()
        };
        writeln!(
            w,
            "<p class=\"legend\">Bars: share of agents in this inventory; the black mark is what \
             a cited survey reports (surveys count organisations, not agents: a reference \
             point, not a target). Status: <b>governed</b> = a named owner, \
             monitoring and evals; <b>shadow</b> = no named owner and no monitoring; \
             <b>partial</b> = in between. Containment is shown beside the status.{hinted}</p>"
        )?;
        writeln!(w, "<ol class=\"src\">")?;
        for (i, src) in summary::SOURCES.iter().enumerate() {
            let url = src.url.map_or(String::new(), |u| {
                format!(" — <a href=\"{0}\" rel=\"noreferrer\">{0}</a>", escape(u))
            });
            writeln!(
                w,
                "<li id=\"source-{}\">{}{url}</li>",
                i + 1,
                escape(src.name)
            )?;
        }
        writeln!(w, "</ol>")?;
        writeln!(w, "<div class=\"groups\">")?;
        let by_status: Vec<(String, usize)> = s
            .by_status
            .iter()
            .map(|(st, n)| (st.as_str().to_string(), *n))
            .collect();
        count_table(w, "Agents by status", "Status", &by_status, s.units)?;
        let by_risk: Vec<(String, usize)> = s
            .by_risk
            .iter()
            .map(|(l, n)| (l.as_str().to_string(), *n))
            .collect();
        count_table(w, "Agents by risk", "Risk", &by_risk, s.units)?;
        count_table(w, "Agents by provider", "Provider", &s.by_provider, s.units)?;
        let mut teams = s.by_team.clone();
        teams.extend(
            s.by_individual
                .iter()
                .map(|(t, n)| (format!("{t} (individual, not a team)"), *n)),
        );
        teams.push(("(no named owner)".to_string(), s.unowned));
        count_table(w, "Agents by team", "Team", &teams, s.units)?;
        writeln!(w, "</div></section>")?;
        if let Some(prev) = &opts.previous {
            trend(w, &Trend::between(prev, inv))?;
        }
        writeln!(w, "<section><h2>Agents</h2>")?;
        write!(w, "<div id=\"filters\" hidden>")?;
        let statuses: Vec<(String, String)> = ["governed", "partial", "shadow"]
            .iter()
            .map(|s| (s.to_string(), s.to_string()))
            .collect();
        select(w, "status", "Status", &statuses)?;
        let owners: Vec<(String, String)> = [
            ("named", "named owner"),
            ("hint", "hint only"),
            ("none", "no owner"),
        ]
        .iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect();
        select(w, "owner", "Owner", &owners)?;
        let mut repos: Vec<String> = inv.units.iter().map(|u| u.repo.clone()).collect();
        repos.dedup();
        let repos: Vec<(String, String)> = repos.into_iter().map(|r| (r.clone(), r)).collect();
        select(w, "repo", "Repository", &repos)?;
        let levels: Vec<(String, String)> = ["high", "medium", "low", "none"]
            .iter()
            .map(|s| (s.to_string(), s.to_string()))
            .collect();
        select(w, "risk", "Risk", &levels)?;
        let registry = inv.registry.is_some();
        if registry {
            let states: Vec<(String, String)> = ["registered", "unregistered"]
                .iter()
                .map(|s| (s.to_string(), s.to_string()))
                .collect();
            select(w, "registry", "Registry", &states)?;
        }
        writeln!(w, "<span id=\"shown\" class=\"meta\"></span></div>")?;
        writeln!(
            w,
            "<table class=\"agents\" id=\"agents\"><thead><tr><th data-sort>Unit</th>\
             <th data-sort>Status</th><th data-sort>Risk</th>{}<th data-sort>Why and fix</th>\
             <th data-sort>Owner</th><th data-sort>Monitoring</th><th data-sort>Evals</th>\
             <th data-sort>Containment</th><th>Uses</th><th data-sort=\"n\">Keys</th>\
             <th>Evidence</th></tr></thead><tbody>",
            if registry {
                "<th data-sort>Registry</th>"
            } else {
                ""
            }
        )?;
        for u in &inv.units {
            let level = u.risk.as_ref().map(|r| r.level);
            let reg = match (registry, summary::registry_text(u)) {
                (false, _) => String::new(),
                (true, t) => format!("<td>{}</td>", escape(t.as_deref().unwrap_or("-"))),
            };
            writeln!(
                w,
                "<tr data-status=\"{}\" data-owner=\"{}\" data-repo=\"{}\" data-risk=\"{}\"{}>\
                 <td class=\"unit\">{}<span>{}</span></td><td data-key=\"{}\">{}</td>\
                 <td data-key=\"{}\">{}</td>{reg}\
                 <td class=\"why\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td class=\"uses\">{}</td><td class=\"n\">{}</td><td class=\"evid\">{}</td></tr>",
                u.status.as_str(),
                summary::owner_class(u),
                escape(&u.repo),
                summary::risk_level(u),
                match u.registry {
                    Some(r) => format!(" data-registry=\"{}\"", r.as_str()),
                    None => String::new(),
                },
                escape(&summary::unit_label(u)),
                escape(&u.repo),
                status_key(u.status),
                status_pill(u.status),
                level.map_or(4, |l| 3 - l as u8),
                risk_cell(u),
                why_cell(inv, u),
                owner_cell(u),
                signal(&u.monitoring),
                signal(&u.evals),
                signal(&u.containment),
                uses_cell(u),
                u.secrets.len(),
                evidence_cell(u, links::scanned_commit(inv, &u.repo)),
            )?;
        }
        writeln!(w, "</tbody></table></section>")?;
    }
    links_section(inv, w)?;
    if let Some(r) = &inv.registry {
        writeln!(
            w,
            "<section><h2>Registry</h2><p>{}</p>",
            escape(&summary::registry_sentence(r))
        )?;
        let missing = inv.registry_missing.as_deref().unwrap_or_default();
        if !missing.is_empty() {
            writeln!(
                w,
                "<table><tr><th>Entry</th><th>Name</th><th>Owner</th><th>Repository</th>\
                 <th>Path</th><th>Found as</th></tr>"
            )?;
            for e in missing {
                writeln!(
                    w,
                    "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                     <td>{}</td></tr>",
                    e.entry,
                    escape(&e.name),
                    escape(e.owner.as_deref().unwrap_or("-")),
                    escape(&e.repo),
                    escape(&e.path),
                    escape(e.found_as.as_deref().unwrap_or("-")),
                )?;
            }
            writeln!(w, "</table>")?;
        }
        writeln!(w, "</section>")?;
    }
    if !inv.ai_in_ci.is_empty() {
        writeln!(
            w,
            "<section><h2>AI in CI</h2><p>Third-party AI actions that workflows run: not \
             agents of the repository, but they act with what their jobs give them.</p>"
        )?;
        writeln!(
            w,
            "<table class=\"ci\"><tr><th>Workflow</th><th>Action</th><th>Uses</th>\
             <th>Permissions</th><th>Secrets</th></tr>"
        )?;
        for c in &inv.ai_in_ci {
            let permissions = if c.permissions.is_empty() {
                "<span class=\"no\">repository default</span>".to_string()
            } else {
                list(&c.permissions)
            };
            writeln!(
                w,
                "<tr><td class=\"unit\">{}<span>{}</span></td><td>{}</td><td>{}</td>\
                 <td>{permissions}</td><td>{}</td></tr>",
                escape(&c.path),
                escape(&c.repo),
                escape(&c.action),
                list(&c.uses),
                list(&c.secrets),
            )?;
        }
        writeln!(w, "</table></section>")?;
    }
    if s.secrets > 0 {
        writeln!(
            w,
            "<section><h2>Secrets ({} found, {} not baselined)</h2>\
             <p class=\"meta\">Values are never shown: a short prefix and a fingerprint only.</p>\
             <table><tr><th>Unit</th><th>Place</th><th>Provider</th><th>Key</th>\
             <th>Fingerprint</th><th>Note</th></tr>",
            s.secrets, s.secrets_open
        )?;
        for u in inv.all_units() {
            for k in &u.secrets {
                writeln!(
                    w,
                    "<tr><td>{}</td><td><code class=\"k\">{}:{}</code></td><td>{}</td>\
                     <td><code class=\"k\">{}</code></td><td><code class=\"k\">{}</code></td><td>{}</td></tr>",
                    escape(&summary::key_holder(u)),
                    escape(&k.path),
                    k.line,
                    escape(&k.provider),
                    escape(&k.shown),
                    escape(&k.fingerprint),
                    escape(&summary::key_note(k)),
                )?;
            }
        }
        writeln!(w, "</table></section>")?;
    }
    writeln!(
        w,
        "<section><h2>Scan coverage</h2><table class=\"coverage\">"
    )?;
    for (what, n) in summary::scan_coverage(inv) {
        writeln!(
            w,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&what),
            escape(&n)
        )?;
    }
    writeln!(w, "</table>")?;
    if !inv.stats.faults.is_empty() {
        writeln!(w, "<h3>Faults</h3><ul>")?;
        for f in &inv.stats.faults {
            writeln!(
                w,
                "<li><code class=\"k\">{}</code>: {}</li>",
                escape(&f.path),
                escape(&f.message)
            )?;
        }
        writeln!(w, "</ul>")?;
    }
    writeln!(w, "</section>")?;
    writeln!(
        w,
        "<footer>Generated by {} {} from the code and configuration alone. \
         Secret values are never included.</footer>",
        escape(&inv.scanner.name),
        escape(&inv.scanner.version)
    )?;
    if s.units > 0 {
        writeln!(w, "<script>{SCRIPT}</script>")?;
    }
    writeln!(w, "</body></html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            escape(r#"<script>alert("x&y")</script>'"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;"
        );
    }
}

//! The HTML reporter: the Markdown review as one self-contained page for people who
//! do not read Markdown. Inline CSS only: no script, no font, no image, no external
//! asset, and a Content-Security-Policy that forbids loading anything, so it works
//! offline and from a mail attachment. Every string from the inventory goes through
//! [`escape`].

use std::io::{self, Write};

use super::summary::{self, percent, Summary};
use super::ReportOptions;
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
@media print{body{padding:0}.cards{grid-template-columns:repeat(2,1fr)}}
"#;

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

fn evidence_item(e: &crate::model::Evidence) -> String {
    let place = match e.cell {
        Some(c) => format!("{}[cell {c}]:{}", e.path, e.line),
        None => format!("{}:{}", e.path, e.line),
    };
    format!(
        "<li>{} <span class=\"rule\">{}</span><code>{}</code></li>",
        escape(&place),
        escape(&e.rule_id),
        escape(&e.snippet)
    )
}

fn evidence_cell(u: &Unit) -> String {
    let items: Vec<String> = u.evidence.iter().map(evidence_item).collect();
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

/// Writes `inv` as one self-contained HTML page.
pub fn write(inv: &Inventory, _opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let s = Summary::of(inv);
    writeln!(w, "<!DOCTYPE html>")?;
    writeln!(w, "<html lang=\"en\"><head><meta charset=\"utf-8\">")?;
    writeln!(
        w,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
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
        writeln!(w, "<p>No AI usage found.</p></section>")?;
    } else {
        writeln!(w, "<div class=\"cards\">")?;
        for c in &s.controls {
            let reference = c.industry.percent.map_or(String::new(), |p| {
                format!(
                    "<div class=\"ref\" style=\"left:{p}%\" title=\"{}\"></div>",
                    escape(c.industry.text)
                )
            });
            writeln!(
                w,
                "<div class=\"card\"><div class=\"name\">{}</div>\
                 <div class=\"value\">{}% <small>{} of {} agents</small></div>\
                 <div class=\"bar\"><div class=\"fill\" style=\"width:{}%\"></div>{reference}</div>\
                 <div class=\"ind\">{}</div></div>",
                c.name,
                c.percent,
                c.count,
                s.units,
                c.percent.min(100),
                escape(c.industry.text)
            )?;
        }
        writeln!(w, "</div>")?;
        writeln!(
            w,
            "<p class=\"legend\">Bars: share of agents in this inventory; the black mark is the \
             industry reference where surveys give one. Status: <b>governed</b> = a named owner, \
             monitoring and evals; <b>shadow</b> = no named owner and no monitoring; \
             <b>partial</b> = in between. Containment is shown beside the status.</p>"
        )?;
        writeln!(w, "<div class=\"groups\">")?;
        let by_status: Vec<(String, usize)> = s
            .by_status
            .iter()
            .map(|(st, n)| (st.as_str().to_string(), *n))
            .collect();
        count_table(w, "Agents by status", "Status", &by_status, s.units)?;
        count_table(w, "Agents by provider", "Provider", &s.by_provider, s.units)?;
        count_table(w, "Agents by team", "Owner", &s.by_team, s.units)?;
        writeln!(w, "</div></section>")?;
        writeln!(w, "<section><h2>Agents</h2>")?;
        writeln!(
            w,
            "<table class=\"agents\"><tr><th>Unit</th><th>Status</th><th>Owner</th>\
             <th>Monitoring</th><th>Evals</th><th>Containment</th><th>Providers</th>\
             <th>Frameworks</th><th>Models</th><th>Keys</th><th>Evidence</th></tr>"
        )?;
        for u in &inv.units {
            let owner =
                u.owner
                    .as_ref()
                    .map_or("<span class=\"no\">none</span>".to_string(), |o| {
                        format!(
                            "{} <span class=\"rule\">({})</span>",
                            escape(&o.value),
                            escape(&o.source)
                        )
                    });
            let models: Vec<String> = u.models.iter().map(|m| m.id.clone()).collect();
            writeln!(
                w,
                "<tr><td class=\"unit\">{}<span>{}</span></td><td>{}</td><td>{owner}</td>\
                 <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td class=\"n\">{}</td><td class=\"evid\">{}</td></tr>",
                escape(&summary::unit_label(u)),
                escape(&u.repo),
                status_pill(u.status),
                signal(&u.monitoring),
                signal(&u.evals),
                signal(&u.containment),
                list(&u.providers),
                list(&u.frameworks),
                list(&models),
                u.secrets.len(),
                evidence_cell(u),
            )?;
        }
        writeln!(w, "</table></section>")?;
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
        for u in &inv.units {
            for k in &u.secrets {
                let mut note = Vec::new();
                if k.baselined {
                    note.push("baselined".to_string());
                }
                if k.in_test {
                    note.push("in test".to_string());
                }
                if let Some(h) = &k.history {
                    note.push(format!(
                        "history: {} {}{}",
                        h.commit.get(..12).unwrap_or(&h.commit),
                        h.date,
                        if h.at_head { "" } else { ", not at HEAD" }
                    ));
                }
                writeln!(
                    w,
                    "<tr><td>{}</td><td><code class=\"k\">{}:{}</code></td><td>{}</td>\
                     <td><code class=\"k\">{}</code></td><td><code class=\"k\">{}</code></td><td>{}</td></tr>",
                    escape(&summary::unit_label(u)),
                    escape(&k.path),
                    k.line,
                    escape(&k.provider),
                    escape(&k.shown),
                    escape(&k.fingerprint),
                    escape(&note.join("; ")),
                )?;
            }
        }
        writeln!(w, "</table></section>")?;
    }
    writeln!(
        w,
        "<footer>Generated by {} {} from the code and configuration alone. \
         Secret values are never included.</footer>",
        escape(&inv.scanner.name),
        escape(&inv.scanner.version)
    )?;
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

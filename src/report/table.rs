//! The table reporter: one row per agent unit, then what the scan read and skipped.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{presets, Table};

use super::ReportOptions;
use crate::inventory::Inventory;
use crate::model::shown;

fn paint(opts: &ReportOptions, style: Style, text: &str) -> String {
    if opts.color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// Writes `inv` as a table.
pub fn write(inv: &Inventory, opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let repos_with_ai = inv.repositories.iter().filter(|r| r.units > 0).count();
    writeln!(
        w,
        "{} — {} agent unit(s) in {} of {} repositor{}",
        paint(opts, bold, &format!("aiscout {}", inv.scanner.version)),
        inv.units.len(),
        repos_with_ai,
        inv.repositories.len(),
        if inv.repositories.len() == 1 {
            "y"
        } else {
            "ies"
        },
    )?;
    writeln!(
        w,
        "{}",
        paint(
            opts,
            dim,
            &shown(&super::anchors::line(inv, super::anchors::TABLE_WIDTH))
        )
    )?;
    if inv.units.is_empty() {
        writeln!(w, "no AI usage found")?;
    } else {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        table.set_header([
            "REPO",
            "UNIT",
            "PROVIDERS",
            "FRAMEWORKS",
            "MODELS",
            "OWNER",
            "MON",
            "EVAL",
            "GUARD",
            "KEYS",
            "STATUS",
        ]);
        for u in &inv.units {
            let or_dash = |v: &[String]| {
                if v.is_empty() {
                    "-".to_string()
                } else {
                    shown(&v.join(", ")).into_owned()
                }
            };
            let yes = |b: bool| if b { "yes" } else { "-" }.to_string();
            let unit = shown(&super::summary::unit_label(u)).into_owned();
            table.add_row([
                shown(&u.repo).into_owned(),
                unit,
                or_dash(&u.providers),
                or_dash(&u.frameworks),
                or_dash(&u.models.iter().map(|m| m.id.clone()).collect::<Vec<_>>()),
                u.owner
                    .as_ref()
                    .map_or("-".to_string(), |o| shown(&o.value).into_owned()),
                yes(u.monitoring.present),
                yes(u.evals.present),
                yes(u.containment.present),
                if u.secrets.is_empty() {
                    "-".to_string()
                } else {
                    u.secrets.len().to_string()
                },
                u.status.as_str().to_string(),
            ]);
        }
        writeln!(w)?;
        writeln!(w, "{table}")?;
        if opts.verbose {
            for u in &inv.units {
                writeln!(w)?;
                writeln!(
                    w,
                    "{}",
                    paint(opts, bold, &shown(&format!("{} {}", u.repo, u.path)))
                )?;
                for e in &u.evidence {
                    let path = shown(&e.path);
                    let place = match e.cell {
                        Some(c) => format!("{path}[cell {c}]:{}:{}", e.line, e.column),
                        None => format!("{path}:{}:{}", e.line, e.column),
                    };
                    writeln!(
                        w,
                        "  {place}  {} {}  {}",
                        e.method.as_str(),
                        paint(
                            opts,
                            Style::new().fg_color(Some(AnsiColor::Cyan.into())),
                            &shown(&e.rule_id)
                        ),
                        shown(&e.snippet)
                    )?;
                }
            }
        }
    }
    if !inv.ai_in_ci.is_empty() {
        writeln!(w)?;
        writeln!(w, "AI in CI (third-party actions, not units):")?;
        for c in &inv.ai_in_ci {
            let grants = if c.permissions.is_empty() {
                "repository default permissions".to_string()
            } else {
                c.permissions.join(", ")
            };
            let secrets = if c.secrets.is_empty() {
                String::new()
            } else {
                format!("; secrets {}", c.secrets.join(", "))
            };
            writeln!(
                w,
                "  {} {}  {}  {grants}{secrets}",
                shown(&c.repo),
                shown(&c.path),
                paint(opts, bold, &shown(&c.action)),
            )?;
        }
    }
    let s = &inv.stats;
    let mut line = format!(
        "scanned {} files ({}) of {} seen; {} prefilter hits, {} parsed",
        s.files_scanned,
        mb(s.bytes_scanned),
        s.files_seen,
        s.prefilter_hits,
        s.files_parsed
    );
    if !s.skipped.is_empty() {
        let parts: Vec<String> = s
            .skipped
            .iter()
            .map(|(k, v)| format!("{} {v}", k.as_str()))
            .collect();
        line.push_str(&format!("; skipped: {}", parts.join(", ")));
    }
    if !s.faults.is_empty() {
        line.push_str(&format!("; {} fault(s)", s.faults.len()));
    }
    writeln!(w)?;
    writeln!(w, "{}", paint(opts, dim, &line))?;
    if opts.verbose {
        for d in &s.skip_details {
            writeln!(
                w,
                "  skipped {} ({}): {}",
                shown(&d.path),
                d.reason.as_str(),
                shown(&d.message)
            )?;
        }
    }
    Ok(())
}

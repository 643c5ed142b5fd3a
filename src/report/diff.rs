//! Rendering a [`Diff`] (computed by `inventory::diff`) as plain lines, JSON or
//! Markdown for `aiscout diff`.

use std::io::{self, Write};

use crate::inventory::diff::{change_words, Diff, UnitBrief};
use crate::model::shown;

/// Formats `aiscout diff` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Plain lines, grouped (default).
    Table,
    /// The [`Diff`] as JSON.
    Json,
    /// Markdown, e.g. for an issue or a chat message.
    Markdown,
}

fn brief_line(u: &UnitBrief) -> String {
    format!(
        "{}: {} [{}] owner {}; providers {}; models {}",
        u.repo,
        u.path,
        u.status.as_str(),
        u.owner.as_deref().unwrap_or("none"),
        if u.providers.is_empty() {
            "-".to_string()
        } else {
            u.providers.join(", ")
        },
        if u.models.is_empty() {
            "-".to_string()
        } else {
            u.models.join(", ")
        },
    )
}

/// Writes `d` as `format`.
pub fn write(d: &Diff, format: DiffFormat, w: &mut dyn Write) -> io::Result<()> {
    match format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, d)?;
            w.write_all(b"\n")
        }
        DiffFormat::Table => super::human(w, false, |w| write_text(d, w, false)),
        DiffFormat::Markdown => super::human(w, false, |w| write_text(d, w, true)),
    }
}

fn write_text(d: &Diff, w: &mut dyn Write, md: bool) -> io::Result<()> {
    let esc = |s: &str| {
        if md {
            super::markdown::escape(s)
        } else {
            shown(s).into_owned()
        }
    };
    if md {
        writeln!(w, "# AI inventory changes")?;
        writeln!(w)?;
    }
    if d.is_empty() {
        return writeln!(w, "no changes");
    }
    let head = |w: &mut dyn Write, title: &str, n: usize| -> io::Result<()> {
        if md {
            writeln!(w, "## {title} ({n})")?;
            writeln!(w)
        } else {
            writeln!(w, "{title} ({n}):")
        }
    };
    let item = if md { "- " } else { "  " };
    let sections: [(&str, Vec<String>); 4] = [
        ("New agents", d.new_units.iter().map(brief_line).collect()),
        (
            "Removed agents",
            d.removed_units.iter().map(brief_line).collect(),
        ),
        (
            "Changed agents",
            d.changed_units
                .iter()
                .map(|c| {
                    format!(
                        "{}: {}: {}{}",
                        c.unit.repo,
                        c.unit.path,
                        change_words(c),
                        if c.regression { " (regression)" } else { "" }
                    )
                })
                .collect(),
        ),
        (
            "New secrets",
            d.new_secrets
                .iter()
                .map(|s| {
                    format!(
                        "{}: {}:{}: {} key {} (fingerprint {}){}",
                        s.repo,
                        s.path,
                        s.line,
                        s.provider,
                        s.shown,
                        s.fingerprint,
                        if s.baselined { " [baselined]" } else { "" }
                    )
                })
                .collect(),
        ),
    ];
    let mut first = true;
    for (title, lines) in sections.iter().filter(|(_, l)| !l.is_empty()) {
        if !first && !md {
            writeln!(w)?;
        }
        first = false;
        head(w, title, lines.len())?;
        for l in lines {
            writeln!(w, "{item}{}", esc(l))?;
        }
        if md {
            writeln!(w)?;
        }
    }
    Ok(())
}

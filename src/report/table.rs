//! The table reporter: one row per agent unit, then what the scan read and skipped.
//!
//! Given a width (`ReportOptions::width`), no line it prints is wider, except the
//! evidence lines of `-v`, which are for reading in full: values are shortened first
//! (remotes as `owner/name`, paths from the middle, lists as first items and `+N`),
//! then columns give way in a fixed order ([`STEPS`]), never STATUS, and a note under
//! the table says what was hidden; each line is finally cut at the width. Without a
//! width (a pipe, a file, `--wide`) every column is printed in full.

use std::io::{self, Write};

use std::collections::{BTreeMap, BTreeSet};

use anstyle::{AnsiColor, Style};

use super::fit::{self, Span, Step};
use super::ReportOptions;
use crate::inventory::{Inventory, Registration, RiskLevel};
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

/// The columns, in order; `MEG` stands in for `MON`, `EVAL` and `GUARD` when they are
/// folded.
const HEADERS: [&str; 14] = [
    "REPO",
    "UNIT",
    "PROVIDERS",
    "FRAMEWORKS",
    "MODELS",
    "OWNER",
    "MON",
    "EVAL",
    "GUARD",
    "MEG",
    "KEYS",
    "RISK",
    "REG",
    "STATUS",
];
const REPO: usize = 0;
const UNIT: usize = 1;
const MODELS: usize = 4;
const MEG: usize = 9;
/// Shown only when the inventory was reconciled with a registry.
const REG: usize = 12;

/// What gives way when the table is wider than the terminal, first to last, once
/// every value is as short as it should be made ([`bounds`]): models, then the three signal columns
/// fold into one, then frameworks, providers, keys, the owner, the registry mark (asked
/// for with `--registry`) and the repository. STATUS and RISK are never hidden: they are
/// what the table is read for.
const STEPS: &[Step] = &[
    Step {
        hide: &[MODELS],
        show: &[],
    },
    Step {
        hide: &[6, 7, 8],
        show: &[MEG],
    },
    Step {
        hide: &[3],
        show: &[],
    },
    Step {
        hide: &[2],
        show: &[],
    },
    Step {
        hide: &[10],
        show: &[],
    },
    Step {
        hide: &[5],
        show: &[],
    },
    Step {
        hide: &[REG],
        show: &[],
    },
    Step {
        hide: &[REPO],
        show: &[],
    },
];

/// Columns between cells.
const GAP: usize = 2;

/// How a column's values are shortened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shrink {
    /// Paths: from the middle, keeping both ends.
    Middle,
    /// Names: at the end.
    End,
    /// Lists: first items and `+N`.
    List,
    /// Short words and counts: never.
    Fixed,
}

/// How wide a column should be before a lower-priority column is hidden, and its
/// narrowest when nothing is left to hide: a path keeps enough of both ends to be
/// recognised, a name or a list its first word.
fn bounds(column: usize) -> (usize, usize) {
    match column {
        REPO => (20, 10),
        UNIT => (24, 12),
        _ => match shrink_of(column) {
            Shrink::Fixed => (usize::MAX, usize::MAX),
            _ => (12, 8),
        },
    }
}

fn shrink_of(column: usize) -> Shrink {
    match column {
        0 | 1 => Shrink::Middle,
        2..=4 => Shrink::List,
        5 => Shrink::End,
        _ => Shrink::Fixed,
    }
}

/// A cell's value: list items (one for plain text; none shows `-`).
type Cell = Vec<String>;

fn full(cell: &Cell) -> String {
    if cell.is_empty() {
        "-".to_string()
    } else {
        cell.join(", ")
    }
}

fn render(cell: &Cell, shrink: Shrink, w: usize) -> String {
    if cell.is_empty() {
        return "-".to_string();
    }
    match shrink {
        Shrink::List => fit::list(cell, Some(w)),
        Shrink::Middle => fit::middle(&full(cell), w).into_owned(),
        Shrink::End => fit::cut(&full(cell), w).into_owned(),
        Shrink::Fixed => full(cell),
    }
}

/// How each repository identity is shown: `owner/name` when fitting (unless two
/// repositories would then look the same), the identity itself at full width.
fn repo_names(inv: &Inventory, fitting: bool) -> BTreeMap<&str, String> {
    let identities: BTreeSet<&str> = inv
        .repositories
        .iter()
        .map(|r| r.identity.as_str())
        .chain(inv.units.iter().map(|u| u.repo.as_str()))
        .chain(inv.ai_in_ci.iter().map(|c| c.repo.as_str()))
        .collect();
    let short = |id: &'_ str| -> String {
        if fitting {
            fit::short_repo(id).into_owned()
        } else {
            id.to_string()
        }
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for id in &identities {
        *seen.entry(short(id)).or_default() += 1;
    }
    identities
        .into_iter()
        .map(|id| {
            let s = short(id);
            let name = if seen[&s] > 1 { id.to_string() } else { s };
            (id, shown(&name).into_owned())
        })
        .collect()
}

/// Writes `inv` as a table, fitted to `opts.width` when it is set.
pub fn write(inv: &Inventory, opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let fitting = opts.width.is_some();
    let names = repo_names(inv, fitting);
    let name_of = |id: &str| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| shown(id).into_owned())
    };
    let repos_with_ai = inv.repositories.iter().filter(|r| r.units > 0).count();
    let single = match inv.repositories.as_slice() {
        [one] => Some(name_of(&one.identity)),
        _ => None,
    };
    let prefix = format!("aiscout {}", inv.scanner.version);
    let units = format!(" — {} agent unit(s) in ", inv.units.len());
    let mut title = match &single {
        // One repository is named here instead of on every row.
        Some(name) => {
            let name = match opts.width {
                Some(width) => {
                    let room = width.saturating_sub(fit::width(&prefix) + fit::width(&units));
                    fit::middle(name, room.max(12)).into_owned()
                }
                None => name.clone(),
            };
            format!("{units}{name}")
        }
        None => format!(
            "{units}{repos_with_ai} of {} repositories",
            inv.repositories.len()
        ),
    };
    let mut prefix = prefix;
    if let Some(width) = opts.width {
        prefix = fit::cut(&prefix, width).into_owned();
        title = fit::cut(&title, width.saturating_sub(fit::width(&prefix))).into_owned();
    }
    writeln!(w, "{}{title}", paint(opts, bold, &prefix))?;
    // The anchors line shares the table's width (full width to a pipe stays within
    // the classic 120 columns: it lists every repository otherwise).
    let anchors_width = opts.width.unwrap_or(super::anchors::TABLE_WIDTH);
    let anchors = super::anchors::line(inv, anchors_width);
    let anchors = shown(&anchors);
    writeln!(
        w,
        "{}",
        paint(opts, dim, &fit::cut(&anchors, anchors_width))
    )?;
    if inv.units.is_empty() {
        let keys = inv.not_agents.iter().any(|u| !u.secrets.is_empty());
        let none = if keys {
            "no agent units found"
        } else {
            "no AI usage found"
        };
        writeln!(w, "{none}")?;
    } else {
        let yes = |b: bool| if b { vec!["yes".to_string()] } else { vec![] };
        let rows: Vec<[Cell; 14]> = inv
            .units
            .iter()
            .map(|u| {
                let shown_all =
                    |v: &[String]| -> Cell { v.iter().map(|s| shown(s).into_owned()).collect() };
                let meg: String = [
                    (u.monitoring.present, 'M'),
                    (u.evals.present, 'E'),
                    (u.containment.present, 'G'),
                ]
                .iter()
                .map(|&(b, c)| if b { c } else { '-' })
                .collect();
                [
                    vec![name_of(&u.repo)],
                    vec![shown(&super::summary::unit_label(u)).into_owned()],
                    shown_all(&u.providers),
                    shown_all(&u.frameworks),
                    u.models.iter().map(|m| shown(&m.id).into_owned()).collect(),
                    u.owner
                        .as_ref()
                        .map(|o| vec![shown(&o.value).into_owned()])
                        .unwrap_or_default(),
                    yes(u.monitoring.present),
                    yes(u.evals.present),
                    yes(u.containment.present),
                    vec![meg],
                    if u.secrets.is_empty() {
                        vec![]
                    } else {
                        vec![u.secrets.len().to_string()]
                    },
                    match u.risk.as_ref().map(|r| r.level) {
                        None | Some(RiskLevel::None) => vec![],
                        Some(l) => vec![l.as_str().to_string()],
                    },
                    match u.registry {
                        Some(Registration::Registered) => vec!["yes".to_string()],
                        Some(Registration::Unregistered) => vec!["no".to_string()],
                        None => vec![],
                    },
                    vec![u.status.as_str().to_string()],
                ]
            })
            .collect();
        let spans: Vec<Span> = (0..HEADERS.len())
            .map(|c| {
                let natural = rows
                    .iter()
                    .map(|r| fit::width(&full(&r[c])))
                    .chain([fit::width(HEADERS[c])])
                    .max()
                    .unwrap_or(0);
                let (want, min) = bounds(c);
                let header = fit::width(HEADERS[c]);
                let (want, min) = (natural.min(want).max(header), natural.min(min).max(header));
                Span { natural, min, want }
            })
            .collect();
        let registry = inv.registry.is_some();
        let mut start: Vec<bool> = (0..HEADERS.len())
            .map(|c| c != MEG && (c != REG || registry))
            .collect();
        let widths: Vec<Option<usize>> = match opts.width {
            Some(width) => {
                // One repository is named in the first line instead of on every row.
                start[REPO] = single.is_none();
                fit::layout(&spans, &start, STEPS, width, GAP)
            }
            None => spans
                .iter()
                .zip(&start)
                .map(|(s, on)| on.then_some(s.natural))
                .collect(),
        };
        let visible = |c: usize| widths[c].is_some();
        let columns: Vec<usize> = (0..HEADERS.len()).filter(|&c| visible(c)).collect();
        let mut shortened = false;
        let mut lines: Vec<Vec<String>> =
            vec![columns.iter().map(|&c| HEADERS[c].into()).collect()];
        for row in &rows {
            lines.push(
                columns
                    .iter()
                    .map(|&c| {
                        let text = render(&row[c], shrink_of(c), widths[c].unwrap_or(0));
                        shortened |= text != full(&row[c]);
                        text
                    })
                    .collect(),
            );
        }
        // A list shortened to `a +N` may be narrower than the room it had.
        let used: Vec<usize> = (0..columns.len())
            .map(|i| lines.iter().map(|l| fit::width(&l[i])).max().unwrap_or(0))
            .collect();
        writeln!(w)?;
        for cells in &lines {
            let mut out = String::new();
            for (text, width) in cells.iter().zip(&used) {
                if !out.is_empty() {
                    out.push_str(&" ".repeat(GAP));
                }
                out.push_str(text);
                out.push_str(&" ".repeat(width.saturating_sub(fit::width(text))));
            }
            let out = out.trim_end();
            // The last word on width: whatever the layout could not shorten is cut.
            match opts.width {
                Some(width) => writeln!(w, "{}", fit::cut(out, width))?,
                None => writeln!(w, "{out}")?,
            }
        }
        if let Some(width) = opts.width {
            let hidden: Vec<&str> = (0..HEADERS.len())
                .filter(|&c| {
                    // Folded into MEG, not hidden.
                    let folded = (6..=8).contains(&c) && visible(MEG);
                    start[c] && !visible(c) && !folded
                })
                .map(|c| HEADERS[c])
                .collect();
            let mut note = Vec::new();
            if visible(MEG) {
                note.push("MEG: monitoring, evals, guardrails".to_string());
            }
            if !hidden.is_empty() {
                note.push(format!("hidden: {}", hidden.join(", ")));
            }
            if shortened || !hidden.is_empty() || visible(MEG) {
                note.push("--wide shows every column in full".to_string());
            }
            if !note.is_empty() {
                writeln!(w)?;
                for l in fit::wrap(&note.join("; "), width, 2) {
                    writeln!(w, "{}", paint(opts, dim, &l))?;
                }
            }
        }
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
    if let Some(line) = super::graph::summary_line(inv) {
        writeln!(w)?;
        writeln!(w, "{}", shown(&line))?;
    }
    if let Some(r) = &inv.registry {
        let mut lines = vec![format!(
            "registry {}: {} of {} entries found, {} missing, {} in repositories not scanned; {} \
             agent(s) unregistered",
            shown(&r.file),
            r.found,
            r.entries,
            r.missing,
            r.not_scanned,
            r.unregistered
        )];
        for e in inv.registry_missing.iter().flatten() {
            let found = e
                .found_as
                .as_deref()
                .map_or(String::new(), |f| format!(" (found as {f}, not an agent)"));
            lines.push(
                shown(&format!(
                    "  missing: {} ({}) {} {}{found}",
                    e.name,
                    e.owner.as_deref().unwrap_or("no owner"),
                    name_of(&e.repo),
                    e.path
                ))
                .into_owned(),
            );
        }
        writeln!(w)?;
        for line in lines {
            match opts.width {
                Some(width) => {
                    for l in fit::wrap(&line, width, 4) {
                        writeln!(w, "{l}")?;
                    }
                }
                None => writeln!(w, "{line}")?,
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
                shown(&c.permissions.join(", ")).into_owned()
            };
            let secrets = if c.secrets.is_empty() {
                String::new()
            } else {
                format!("; secrets {}", shown(&c.secrets.join(", ")))
            };
            let (repo, path, action) = (name_of(&c.repo), shown(&c.path), shown(&c.action));
            match opts.width {
                // Wrapped lines are measured as printed, so the action is not bold.
                Some(width) => {
                    let line = format!("  {repo} {path}  {action}  {grants}{secrets}");
                    for l in fit::wrap(&line, width, 4) {
                        writeln!(w, "{l}")?;
                    }
                }
                None => writeln!(
                    w,
                    "  {repo} {path}  {}  {grants}{secrets}",
                    paint(opts, bold, &action),
                )?,
            }
        }
    }
    // The table counts the keys of agent units; a key in a folder that is not an agent
    // has no row, and is still a leaked credential.
    let loose: Vec<String> = inv
        .not_agents
        .iter()
        .flat_map(|u| u.secrets.iter().map(move |k| (u, k)))
        .map(|(u, k)| {
            let note = super::summary::key_note(k);
            let note = if note.is_empty() {
                note
            } else {
                format!(" ({note})")
            };
            shown(&format!(
                "  {} {}:{}  {} key {} (fingerprint {}){note}",
                name_of(&u.repo),
                k.path,
                k.line,
                k.provider,
                k.shown,
                k.fingerprint,
            ))
            .into_owned()
        })
        .collect();
    if !loose.is_empty() {
        writeln!(w)?;
        writeln!(w, "keys outside agent units ({}):", loose.len())?;
        for line in loose {
            match opts.width {
                Some(width) => {
                    for l in fit::wrap(&line, width, 4) {
                        writeln!(w, "{l}")?;
                    }
                }
                None => writeln!(w, "{line}")?,
            }
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
    let lines = match opts.width {
        Some(width) => fit::wrap(&line, width, 2),
        None => vec![line],
    };
    for l in lines {
        writeln!(w, "{}", paint(opts, dim, &l))?;
    }
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

//! The links of an inventory as people read them: labels for link ends and an SVG
//! drawing of units and links for the HTML report.
//!
//! Pure view code: which links exist, and what each end is, the inventory decided
//! (`inventory::links`); this only names and places them. The layout is deterministic
//! and needs no script or external asset: units sit on a circle in inventory order
//! (with external ends after them), so at 50 units the labels stay readable on a
//! 960-pixel-wide drawing. Every label is escaped; nothing here reads a file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::inventory::{Inventory, Link, LinkEnd, Status};

/// A unit id's human label (`repo-name/path`, or the path when the inventory has one
/// repository); unknown ids as themselves.
pub fn unit_name(inv: &Inventory, id: &str) -> String {
    match inv.units.iter().find(|u| u.id == id) {
        Some(u) if inv.repositories.len() > 1 => {
            let repo = u.repo.trim_end_matches('/').trim_end_matches(".git");
            let repo = repo.rsplit(['/', ':', '\\']).next().unwrap_or(repo);
            if u.path == "." {
                repo.to_string()
            } else {
                format!("{repo}/{}", u.path)
            }
        }
        Some(u) => u.path.clone(),
        None => id.to_string(),
    }
}

/// The called end's label: a unit's name, or `external: <endpoint>`.
pub fn end_name(inv: &Inventory, end: &LinkEnd) -> String {
    match end {
        LinkEnd::Unit(id) => unit_name(inv, id),
        LinkEnd::External { external } => format!("external: {external}"),
    }
}

/// Is the link a unit's own structure (a handoff, sub-agents, …)?
pub fn is_structure(l: &Link) -> bool {
    l.to.unit() == Some(l.from.as_str())
}

/// One line for terminals (under 80 columns): how many links of each protocol, to
/// external ends, and how many units have internal structure.
pub fn summary_line(inv: &Inventory) -> Option<String> {
    if inv.links.is_empty() {
        return None;
    }
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut between, mut external, mut inner) = (0, 0, 0);
    for l in &inv.links {
        if is_structure(l) {
            inner += 1;
            continue;
        }
        *by.entry(l.protocol.as_str()).or_default() += 1;
        match l.to {
            LinkEnd::Unit(_) => between += 1,
            LinkEnd::External { .. } => external += 1,
        }
    }
    let protocols: Vec<String> = by.iter().map(|(p, n)| format!("{p} {n}")).collect();
    Some(format!(
        "Links: {between} between units, {external} external ({}); {inner} with structure",
        if protocols.is_empty() {
            "none".to_string()
        } else {
            protocols.join(", ")
        }
    ))
}

/// Escapes text for SVG: as for HTML, and with control characters (which XML forbids)
/// as spaces.
fn esc(s: &str) -> String {
    super::html::escape(&s.replace(char::is_control, " "))
}

/// A label cut to `n` characters, with `…`.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Governed => "governed",
        Status::Partial => "partial",
        Status::Shadow => "shadow",
    }
}

/// The SVG drawing of the inventory's units and links (no links: `None`). Nodes are
/// coloured by status through the classes `node governed|partial|shadow|external`
/// (the HTML report's stylesheet); edges carry their protocol as a class and a
/// `<title>`. Units with no link are left out, so the drawing shows the connected.
pub fn svg(inv: &Inventory) -> Option<String> {
    let between: Vec<&Link> = inv.links.iter().filter(|l| !is_structure(l)).collect();
    if between.is_empty() {
        return None;
    }
    // Nodes: linked units in inventory order, then external ends in sorted order.
    let mut nodes: Vec<(String, String, &'static str)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let linked = |id: &str| {
        between
            .iter()
            .any(|l| l.from == id || l.to.unit() == Some(id))
    };
    for u in inv.units.iter().filter(|u| linked(&u.id)) {
        index.insert(u.id.clone(), nodes.len());
        nodes.push((u.id.clone(), unit_name(inv, &u.id), status_class(u.status)));
    }
    let mut externals: Vec<&str> = between
        .iter()
        .filter_map(|l| match &l.to {
            LinkEnd::External { external } => Some(external.as_str()),
            LinkEnd::Unit(_) => None,
        })
        .collect();
    externals.sort_unstable();
    externals.dedup();
    for e in externals {
        index.insert(format!("external:{e}"), nodes.len());
        nodes.push((e.to_string(), e.to_string(), "external"));
    }
    let key = |end: &LinkEnd| match end {
        LinkEnd::Unit(id) => id.clone(),
        LinkEnd::External { external } => format!("external:{external}"),
    };
    let n = nodes.len();
    // A circle wide enough that neighbours' labels do not touch: 18 px of arc each.
    let r = ((n as f64 * 18.0) / std::f64::consts::TAU).max(140.0);
    // Room for the labels, which run outwards along the radius.
    let (w, h) = (2.0 * r + 480.0, 2.0 * r + 480.0);
    let (cx, cy) = (w / 2.0, h / 2.0);
    let place = |i: usize| {
        let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
        (cx + r * a.cos(), cy + r * a.sin(), a)
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"links-graph\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"100%\" role=\"img\" \
         aria-label=\"Links between agent units\">"
    );
    for l in &between {
        let (Some(&a), Some(&b)) = (index.get(&l.from), index.get(&key(&l.to))) else {
            continue;
        };
        let ((x1, y1, _), (x2, y2, _)) = (place(a), place(b));
        // Stop short of the target's dot so the arrow head shows.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (x2, y2) = (x2 - dx / len * 7.0, y2 - dy / len * 7.0);
        // Curved towards the centre, so opposite links do not overlap.
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let (qx, qy) = (mx + (cx - mx) * 0.25, my + (cy - my) * 0.25);
        // The arrow head, drawn (a marker would need a `url()` reference).
        let (ux, uy) = (x2 - qx, y2 - qy);
        let ul = (ux * ux + uy * uy).sqrt().max(1.0);
        let (ux, uy) = (ux / ul, uy / ul);
        let (bx, by) = (x2 - ux * 8.0, y2 - uy * 8.0);
        let _ = write!(
            s,
            "<g class=\"edge {}\"><path d=\"M {x1:.1} {y1:.1} Q {qx:.1} {qy:.1} {x2:.1} {y2:.1}\"/>\
             <polygon points=\"{x2:.1},{y2:.1} {:.1},{:.1} {:.1},{:.1}\"/><title>{} → {} ({})</title></g>",
            esc(&l.protocol),
            bx - uy * 4.0,
            by + ux * 4.0,
            bx + uy * 4.0,
            by - ux * 4.0,
            esc(&unit_name(inv, &l.from)),
            esc(&end_name(inv, &l.to)),
            esc(&l.protocol),
        );
    }
    for (i, (_, label, class)) in nodes.iter().enumerate() {
        let (x, y, a) = place(i);
        // Labels run outwards along the radius, so neighbours 18 px apart on the circle
        // never overlap; on the left half they are turned to read left to right.
        let right = a.cos() >= 0.0;
        let deg = a.to_degrees() + if right { 0.0 } else { 180.0 };
        let (tx, anchor) = if right {
            (x + 9.0, "start")
        } else {
            (x - 9.0, "end")
        };
        let _ = write!(
            s,
            "<g class=\"node {class}\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\"/>\
             <text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" transform=\"rotate({deg:.1} {x:.1} {y:.1})\">{}</text>\
             <title>{} ({class})</title></g>",
            y + 4.0,
            esc(&cut(label, 36)),
            esc(label),
        );
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_cut() {
        assert_eq!(esc("<a href=\"x\">&"), "&lt;a href=&quot;x&quot;&gt;&amp;");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }
}

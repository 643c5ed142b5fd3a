//! Fitting human text into a terminal's width: display widths, shortening a value
//! (from the middle for paths, at the end for names, first items and `+N` for lists),
//! short repository names, and which columns of a table to show at what width.
//!
//! Everything here measures display columns (`unicode-width`), never bytes or chars,
//! and cuts only between chars, so no output ever splits a UTF-8 sequence. Pure
//! functions of their arguments: the same input gives the same lines at any thread
//! count. Callers pass text that is already `shown` (escaped for terminals), so what
//! is measured is what is printed.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What marks a cut.
pub const ELLIPSIS: char = '…';

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// The longest prefix of `s` at most `w` columns wide.
fn head(s: &str, w: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += char_width(c);
        if used > w {
            return &s[..i];
        }
    }
    s
}

/// The longest suffix of `s` at most `w` columns wide.
fn tail(s: &str, w: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices().rev() {
        used += char_width(c);
        if used > w {
            return &s[i + c.len_utf8()..];
        }
    }
    s
}

/// `s` cut at the end to at most `w` columns, the cut marked with `…`.
pub fn cut(s: &str, w: usize) -> Cow<'_, str> {
    if width(s) <= w {
        return Cow::Borrowed(s);
    }
    match w {
        0 => Cow::Borrowed(""),
        _ => Cow::Owned(format!("{}{ELLIPSIS}", head(s, w - 1))),
    }
}

/// `s` shortened from the middle to at most `w` columns: the start and the end of a
/// path say most (`services/…/support-agent`), so both stay and the end gets the odd
/// column.
pub fn middle(s: &str, w: usize) -> Cow<'_, str> {
    if width(s) <= w {
        return Cow::Borrowed(s);
    }
    if w < 3 {
        return cut(s, w);
    }
    let end = (w - 1).div_ceil(2);
    let start = w - 1 - end;
    Cow::Owned(format!("{}{ELLIPSIS}{}", head(s, start), tail(s, end)))
}

/// `items` as `a, b +N` in at most `w` columns (all of them, comma-separated, when
/// `w` is `None` or they fit): as many first items as fit, then how many are left
/// out. The first item is cut itself when even it does not fit.
pub fn list(items: &[String], w: Option<usize>) -> String {
    let all = items.join(", ");
    let Some(w) = w else { return all };
    if width(&all) <= w {
        return all;
    }
    if items.len() == 1 {
        return cut(&all, w).into_owned();
    }
    let mut shown = String::new();
    for (n, item) in items.iter().enumerate() {
        let rest = items.len() - n - 1;
        let candidate = if n == 0 {
            item.clone()
        } else {
            format!("{shown}, {item}")
        };
        let more = if rest == 0 {
            String::new()
        } else {
            format!(" +{rest}")
        };
        if width(&candidate) + width(&more) > w {
            if n == 0 {
                // Not even the first item fits whole: cut it, keep the count.
                let more = format!(" +{}", items.len() - 1);
                let room = w.saturating_sub(width(&more));
                if room == 0 {
                    return cut(&all, w).into_owned();
                }
                return format!("{}{more}", cut(item, room));
            }
            return format!("{shown} +{}", items.len() - n);
        }
        shown = candidate;
    }
    shown
}

/// A repository identity as people name it: `owner/name` (the last two segments of
/// the path, without `.git`) for a remote URL on any host, `https://…`, `ssh://…` or
/// `git@host:owner/name.git`; a local path as it is.
pub fn short_repo(identity: &str) -> Cow<'_, str> {
    let path = if let Some(i) = identity.find("://") {
        let rest = &identity[i + 3..];
        match rest.find('/') {
            Some(slash) => &rest[slash + 1..],
            None => return Cow::Borrowed(identity),
        }
    } else if let Some(colon) = scp_colon(identity) {
        &identity[colon + 1..]
    } else {
        return Cow::Borrowed(identity);
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] => Cow::Borrowed(identity),
        [one] => Cow::Owned((*one).to_string()),
        [.., owner, name] => Cow::Owned(format!("{owner}/{name}")),
    }
}

/// Where the path starts in an scp-like git address (`[user@]host:path`): a colon
/// before any slash, with a host before it (so `C:\x` and `./a:b` are paths).
fn scp_colon(s: &str) -> Option<usize> {
    let colon = s.find(':')?;
    let before = &s[..colon];
    let host = before.rsplit('@').next().unwrap_or(before);
    let is_host = host.len() > 1
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    (!before.contains('/') && !before.contains('\\') && is_host && colon + 1 < s.len())
        .then_some(colon)
}

/// `line` broken at spaces into lines of at most `w` columns, lines after the first
/// indented by `indent` spaces; a word longer than a line is cut.
pub fn wrap(line: &str, w: usize, indent: usize) -> Vec<String> {
    if width(line) <= w {
        return vec![line.to_string()];
    }
    let words = line.trim_start_matches(' ');
    let lead = &line[..line.len() - words.len()];
    let pad = " ".repeat((lead.len() + indent).min(w / 2));
    let mut out: Vec<String> = Vec::new();
    let mut current = lead.to_string();
    // No word yet on the current line: a line starts with a word, not a space.
    let mut fresh = true;
    for word in words.split(' ') {
        if fresh {
            if word.is_empty() {
                continue;
            }
            current.push_str(word);
            fresh = false;
        } else if width(&current) + 1 + width(word) <= w {
            current.push(' ');
            current.push_str(word);
        } else {
            out.push(cut(current.trim_end(), w).into_owned());
            current = pad.clone();
            fresh = word.is_empty();
            current.push_str(word);
        }
    }
    out.push(cut(current.trim_end(), w).into_owned());
    out
}

/// One column of a table to fit: how wide it is with nothing cut, how wide it should
/// be before a column after it in the steps is hidden, and the narrowest it may be
/// made when nothing is left to hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Widest cell or header.
    pub natural: usize,
    /// Narrowest it may be shortened to (at most `want`).
    pub min: usize,
    /// What it should get before columns are hidden, and is served first (between
    /// `min` and `natural`).
    pub want: usize,
}

/// One step of giving up columns when they do not fit: hide these, show those (a
/// fold shows one narrow column in place of several).
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// Columns this step hides.
    pub hide: &'static [usize],
    /// Columns this step shows.
    pub show: &'static [usize],
}

/// The width of each column in `width` columns with `gap` between columns (`None`:
/// hidden). `shown` says which columns start out shown; `steps` are applied in order,
/// only while the shown columns do not fit at the widths they want. Space beyond the
/// minimums goes one column at a time, left to right, first to columns below what
/// they want, then to any below its natural width: no column starves while another
/// is wider than it needs.
pub fn layout(
    spans: &[Span],
    shown: &[bool],
    steps: &[Step],
    width: usize,
    gap: usize,
) -> Vec<Option<usize>> {
    let mut shown = shown.to_vec();
    let need = |shown: &[bool], of: fn(&Span) -> usize| {
        let (sum, n): (usize, usize) = spans
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .fold((0, 0), |(sum, n), (span, _)| (sum + of(span), n + 1));
        sum + gap * n.saturating_sub(1)
    };
    for step in steps {
        if need(&shown, |s| s.want) <= width {
            break;
        }
        for &i in step.hide {
            shown[i] = false;
        }
        for &i in step.show {
            shown[i] = true;
        }
    }
    let mut widths: Vec<Option<usize>> = spans
        .iter()
        .zip(&shown)
        .map(|(span, s)| s.then_some(span.min))
        .collect();
    let mut spare = width.saturating_sub(need(&shown, |s| s.min));
    for up_to in [|s: &Span| s.want, |s: &Span| s.natural] {
        while spare > 0 {
            let mut grew = false;
            for (w, span) in widths.iter_mut().zip(spans) {
                if let Some(w) = w {
                    if *w < up_to(span) && spare > 0 {
                        *w += 1;
                        spare -= 1;
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_count_columns_and_never_split_a_char() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abc", 0), "");
        // Wide chars take two columns: a cut never leaves half of one.
        assert_eq!(cut("日本語テキスト", 5), "日本…");
        assert!(width(&cut("日本語テキスト", 5)) <= 5);
        assert_eq!(cut("ééééé", 3), "éé…");
    }

    #[test]
    fn paths_are_shortened_from_the_middle() {
        let p = "services/payments/internal/agents/support-agent";
        let m = middle(p, 20);
        assert_eq!(m, "services/…port-agent");
        assert_eq!(width(&m), 20);
        assert_eq!(middle("short", 20), "short");
        assert_eq!(middle("abcdef", 2), "a…");
        for w in 0..60 {
            assert!(width(&middle(p, w)) <= w, "{w}");
            assert!(
                width(&middle("日本語/テキスト/ディレクトリ", w)) <= w,
                "{w}"
            );
        }
    }

    #[test]
    fn lists_show_first_items_and_a_count() {
        let v: Vec<String> = ["openai", "anthropic", "mistral"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(list(&v, None), "openai, anthropic, mistral");
        assert_eq!(list(&v, Some(40)), "openai, anthropic, mistral");
        assert_eq!(list(&v, Some(20)), "openai, anthropic +1");
        assert_eq!(list(&v, Some(12)), "openai +2");
        assert_eq!(list(&v, Some(6)), "op… +2");
        for w in 0..30 {
            assert!(width(&list(&v, Some(w))) <= w, "{w}");
        }
        // One item is cut, never given a `+0`.
        assert_eq!(list(&v[1..2], Some(6)), "anthr…");
    }

    #[test]
    fn remotes_are_shown_as_owner_and_name() {
        for (identity, want) in [
            ("https://github.com/acme/payments.git", "acme/payments"),
            ("https://tok:x@gitlab.com/group/sub/proj", "sub/proj"),
            ("git@github.com:acme/payments.git", "acme/payments"),
            ("ssh://git@bitbucket.org:7999/team/repo.git/", "team/repo"),
            ("https://git.internal.example/scm/lonely.git", "scm/lonely"),
            ("https://host.example/one.git", "one"),
            ("file:///srv/git/acme/tools.git", "acme/tools"),
            (
                "test-repos/monorepo-two-agents",
                "test-repos/monorepo-two-agents",
            ),
            ("/abs/path/repo", "/abs/path/repo"),
            ("C:\\src\\repo", "C:\\src\\repo"),
            ("./odd:name", "./odd:name"),
        ] {
            assert_eq!(short_repo(identity), want, "{identity}");
        }
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_indents() {
        let lines = wrap("scanned 19 files (0.0 MB) of 19 seen; 4 hits", 20, 2);
        assert_eq!(
            lines,
            ["scanned 19 files", "  (0.0 MB) of 19", "  seen; 4 hits"]
        );
        assert_eq!(wrap("short", 20, 2), ["short"]);
        // A line's own indent and inner double spaces stay.
        assert_eq!(
            wrap("  repo path  action  grants", 14, 2),
            ["  repo path", "    action", "    grants"]
        );
        for l in wrap("averyveryverylongwordthatcannotbreak x", 10, 2) {
            assert!(width(&l) <= 10, "{l}");
        }
    }

    const STEPS: &[Step] = &[
        Step {
            hide: &[2],
            show: &[],
        },
        Step {
            hide: &[0],
            show: &[],
        },
    ];

    #[test]
    fn layout_shortens_before_it_hides_and_hides_in_order() {
        let span = |natural, min| Span {
            natural,
            min,
            want: min,
        };
        let spans = [span(30, 10), span(30, 10), span(20, 10), span(6, 6)];
        let all = [true; 4];
        // Everything fits: natural widths.
        assert_eq!(
            layout(&spans, &all, STEPS, 200, 2),
            [Some(30), Some(30), Some(20), Some(6)]
        );
        // Too narrow for natural widths, wide enough for minimums: shortened, shared.
        assert_eq!(
            layout(&spans, &all, STEPS, 60, 2),
            [Some(16), Some(16), Some(16), Some(6)]
        );
        // Narrower: the first step hides column 2, then column 0.
        assert_eq!(
            layout(&spans, &all, STEPS, 30, 2),
            [Some(10), Some(10), None, Some(6)]
        );
        assert_eq!(
            layout(&spans, &all, STEPS, 20, 2),
            [None, Some(12), None, Some(6)]
        );
        // Out of steps: the minimums stand (the caller's last cut keeps lines short).
        assert_eq!(
            layout(&spans, &all, STEPS, 5, 2),
            [None, Some(10), None, Some(6)]
        );
    }

    #[test]
    fn layout_serves_what_a_column_wants_first() {
        let spans = [
            Span {
                natural: 30,
                min: 10,
                want: 10,
            },
            Span {
                natural: 30,
                min: 10,
                want: 24,
            },
        ];
        // Both fit at what they want with no step to take.
        // 12 spare columns: all to the second, which wants 14 more.
        assert_eq!(
            layout(&spans, &[true, true], &[], 34, 2),
            [Some(10), Some(22)]
        );
        // 20 spare: 14 to reach its want, the last 6 shared.
        assert_eq!(
            layout(&spans, &[true, true], &[], 42, 2),
            [Some(13), Some(27)]
        );
        // Both fit at their minimum (22), not at what they want (36): a step is taken.
        let hide_first = [Step {
            hide: &[0],
            show: &[],
        }];
        assert_eq!(
            layout(&spans, &[true, true], &hide_first, 30, 2),
            [None, Some(30)]
        );
    }
}

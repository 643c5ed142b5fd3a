//! Where a text regex can match: near the rare literals every match contains.
//!
//! A rule is selected by a keyword anywhere in a blob, but its regex then scanned the
//! whole blob, and a regex that opens with a boundary class (`(?:^|[^A-Za-z0-9_-])pa-…`)
//! or a lazy run (`moonshot[^\n]{0,100}?sk-…`) gives the regex engine no literal to
//! skip ahead with: the lazy DFA walked every byte of every selected file (a fifth of
//! a scan of a Python virtualenv). Most such regexes are bounded — no match holds more
//! than some `reach` bytes besides runs of spaces or tabs — and every match contains one
//! of a few literals (`pa-`, `sk-`). Then every match lies within `reach` such bytes of
//! an occurrence of one of them, and the regex runs only on those windows. A regex that
//! starts with a literal is left to the regex engine, which skips to it itself, and so
//! is one whose literals are many: searching for eight is no faster than the regex.
//!
//! The literals are derived from the regex itself, so a rule cannot declare them wrong.
//! A window is searched with the text before it as context (`^`, `\b` and boundary
//! classes see the real preceding byte) and ends one byte past the farthest a match can
//! reach, so a `$` at its end can only close a match that would contain no literal:
//! none is found there that the whole-text search would not find.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many literals in a set: past it the set is no longer rare.
const MAX_SET: usize = 256;

/// Windows open at one of at most this many literals.
const MAX_ANCHORS: usize = 3;

/// A literal shorter than this is too common to be worth a second pass.
const MIN_LITERAL: usize = 3;

/// A regex that can reach further than this is run over the whole text.
const MAX_REACH: usize = 4096;

/// A text regex and the windows it can match in.
#[derive(Debug)]
pub struct TextRegex {
    /// The regex.
    pub re: regex::bytes::Regex,
    window: Option<Window>,
}

/// The literals every match contains, and how far a match reaches.
#[derive(Debug)]
struct Window {
    /// One of these is in every match: a window opens around each occurrence.
    anchors: AhoCorasick,
    /// One of these is in every match too: a window without one is dropped.
    also: Option<AhoCorasick>,
    /// The most bytes a match holds outside runs of `run` bytes.
    reach: usize,
    /// The bytes an unbounded repetition matches (`[\x20\t]*`): a match reaches
    /// `reach` bytes plus any such run.
    run: Vec<u8>,
    /// The longest literal.
    longest: usize,
}

impl TextRegex {
    /// `re`, compiled from `src` (ASCII mode, as the rule packs' text regexes are).
    pub(super) fn new(re: regex::bytes::Regex, src: &str) -> TextRegex {
        TextRegex {
            window: window_of(src),
            re,
        }
    }

    /// Does this regex search windows rather than whole texts?
    pub fn windowed(&self) -> bool {
        self.window.is_some()
    }

    /// Every match in `text`, leftmost first, as `captures_iter` finds them.
    pub fn captures_iter<'r, 't>(
        &'r self,
        text: &'t [u8],
    ) -> impl Iterator<Item = regex::bytes::Captures<'t>> + use<'r, 't> {
        let spans = match &self.window {
            // A text not much longer than a window is cheaper searched whole.
            Some(w) if text.len() > 4 * (w.reach + 1) => w.spans(text),
            _ => vec![(0, text.len())],
        };
        let re = &self.re;
        spans.into_iter().flat_map(move |(start, end)| {
            let hay = &text[..end];
            let mut at = Some(start);
            std::iter::from_fn(move || {
                let from = at?;
                let caps = re.captures_at(hay, from)?;
                let whole = caps.get(0).expect("group 0 always matches");
                // An empty match moves on one byte, as the regex's own iterator does.
                at = if whole.is_empty() {
                    Some(whole.end() + 1).filter(|&n| n <= hay.len())
                } else {
                    Some(whole.end())
                };
                Some(caps)
            })
        })
    }
}

impl Window {
    /// The disjoint windows of `text` that can hold a match, in order.
    fn spans(&self, text: &[u8]) -> Vec<(usize, usize)> {
        // Occurrences are found without overlap: one hidden inside or across a found
        // one lies within `longest` bytes of it, so windows reach that much further;
        // and one byte more than a match can reach, the context of `^`, `\b`, `$`.
        let margin = self.reach + self.longest + 1;
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for m in self.anchors.find_iter(text) {
            // A later occurrence's window starts no earlier than an earlier one's: only
            // a window that does not join the last one needs its start.
            let joins = spans
                .last()
                .is_some_and(|last| m.start().saturating_sub(margin) <= last.1);
            let end = self.edge(text, m.end(), margin, true);
            match spans.last_mut() {
                Some(last) if joins => last.1 = last.1.max(end),
                _ => {
                    let start = self.edge(text, m.start(), margin, false);
                    match spans.last_mut() {
                        Some(last) if start <= last.1 => last.1 = last.1.max(end),
                        _ => spans.push((start, end)),
                    }
                }
            }
        }
        if let Some(also) = &self.also {
            spans.retain(|&(s, e)| also.is_match(&text[s..e]));
        }
        spans
    }

    /// Where a window around `at` ends (`forward`) or starts: `margin` bytes away,
    /// not counting run bytes, or the text's edge.
    fn edge(&self, text: &[u8], at: usize, margin: usize, forward: bool) -> usize {
        let mut near = at;
        let mut need = margin;
        loop {
            let far = if forward {
                (near + need).min(text.len())
            } else {
                near.saturating_sub(need)
            };
            let part = if forward {
                &text[near..far]
            } else {
                &text[far..near]
            };
            need = self.runs_in(part);
            if need == 0 || far == 0 || far == text.len() {
                return far;
            }
            near = far;
        }
    }

    /// How many run bytes `part` holds.
    fn runs_in(&self, part: &[u8]) -> usize {
        match *self.run.as_slice() {
            [] => 0,
            [a] => memchr::memchr_iter(a, part).count(),
            [a, b] => memchr::memchr2_iter(a, b, part).count(),
            [a, b, c] => memchr::memchr3_iter(a, b, c, part).count(),
            _ => part.iter().filter(|b| self.run.contains(b)).count(),
        }
    }
}

/// A set of literals one of which every match contains.
type Set = Vec<Vec<u8>>;

/// The window of the regex `src`, when it is bounded and needs rare literals.
fn window_of(src: &str) -> Option<Window> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(src)
        .ok()?;
    if has_prefix(&hir) {
        return None;
    }
    let mut run = [false; 256];
    let reach = reach(&hir, &mut run)?;
    if reach > MAX_REACH {
        return None;
    }
    let mut sets = required(&hir);
    sets.retain(|s| s.iter().all(|l| l.len() >= MIN_LITERAL));
    sets.sort_by_key(|s| std::cmp::Reverse(rarity(s)));
    let mut sets = sets.into_iter();
    let searcher = |set: Set| {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(set)
            .ok()
    };
    let anchors = sets.next().filter(|s| s.len() <= MAX_ANCHORS)?;
    let longest = anchors.iter().map(Vec::len).max().unwrap_or(0);
    let anchors = searcher(anchors)?;
    let also = sets.next().and_then(searcher);
    Some(Window {
        anchors,
        also,
        reach,
        run: (0..=255).filter(|&b| run[usize::from(b)]).collect(),
        longest,
    })
}

/// The most bytes a match of `h` holds outside unbounded repetitions of a few bytes
/// (`[\x20\t]*`, whose bytes go to `run`); `None` when another repetition is unbounded.
fn reach(h: &Hir, run: &mut [bool; 256]) -> Option<usize> {
    const RUN_BYTES: usize = 8;
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(l) => Some(l.0.len()),
        HirKind::Class(_) => h.properties().maximum_len(),
        HirKind::Capture(c) => reach(&c.sub, run),
        HirKind::Concat(subs) => subs
            .iter()
            .try_fold(0usize, |n, s| n.checked_add(reach(s, run)?)),
        HirKind::Alternation(subs) => subs
            .iter()
            .try_fold(0usize, |n, s| Some(n.max(reach(s, run)?))),
        HirKind::Repetition(r) => match r.max {
            Some(max) => reach(&r.sub, run)?.checked_mul(max as usize),
            None => {
                let HirKind::Class(Class::Bytes(c)) = r.sub.kind() else {
                    return None;
                };
                let bytes: usize = c
                    .ranges()
                    .iter()
                    .map(|r| usize::from(r.end() - r.start()) + 1)
                    .sum();
                if bytes > RUN_BYTES {
                    return None;
                }
                for r in c.ranges() {
                    (r.start()..=r.end()).for_each(|b| run[usize::from(b)] = true);
                }
                Some(0)
            }
        },
    }
}

/// Does every match start with one of a few literals the regex engine can search for
/// itself (`(?i:together)…`, `(?:openai|anthropic)…`)? Then it skips to them as fast
/// as a window's search would, and windows only add a pass.
fn has_prefix(hir: &Hir) -> bool {
    let mut seq = regex_syntax::hir::literal::Extractor::new().extract(hir);
    seq.optimize_for_prefix_by_preference();
    seq.is_finite() && seq.min_literal_len().is_some_and(|n| n >= MIN_LITERAL)
}

/// How good a set is to open windows at: few literals (a search for one to three runs
/// at several GB/s, for eight at a regex's own speed), then the longer its shortest
/// literal the rarer, then the fewer literals.
fn rarity(set: &Set) -> (bool, usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (
        set.len() <= MAX_ANCHORS,
        shortest.min(8),
        std::cmp::Reverse(set.len()),
    )
}

/// Every string `h` matches, when they are few (look-arounds match the empty string:
/// what surrounds them is still contiguous in the match).
fn exact(h: &Hir) -> Option<Set> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(l) => Some(vec![l.0.to_vec()]),
        HirKind::Class(c) => class_bytes(c).map(|bs| bs.into_iter().map(|b| vec![b]).collect()),
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Repetition(r) if r.max == Some(r.min) && r.min <= 4 => {
            let one = exact(&r.sub)?;
            (0..r.min).try_fold(vec![Vec::new()], |acc, _| product(&acc, &one))
        }
        HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => {
            let mut set = exact(&r.sub)?;
            set.push(Vec::new());
            dedup(set)
        }
        HirKind::Concat(subs) => subs
            .iter()
            .try_fold(vec![Vec::new()], |acc, s| product(&acc, &exact(s)?)),
        HirKind::Alternation(subs) => {
            let mut set = Vec::new();
            for s in subs {
                set.extend(exact(s)?);
            }
            dedup(set)
        }
        HirKind::Repetition(_) => None,
    }
}

/// Sets of literals every match of `h` contains one of each, the rarest first.
fn required(h: &Hir) -> Vec<Set> {
    if let Some(set) = exact(h).filter(|s| s.iter().all(|l| !l.is_empty())) {
        return vec![set];
    }
    let mut sets = match h.kind() {
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        // Every branch has its rarest set and its second: a match holds one literal of
        // the union of the first ones and one of the union of the second ones.
        HirKind::Alternation(subs) => {
            let branches: Vec<Vec<Set>> = subs.iter().map(required).collect();
            (0..2)
                .map_while(|i| {
                    let mut union = Vec::new();
                    for b in &branches {
                        union.extend(b.get(i)?.iter().cloned());
                    }
                    dedup(union)
                })
                .collect()
        }
        HirKind::Concat(subs) => {
            // Runs of children with exact strings concatenate into longer literals;
            // every child's own sets hold too.
            let mut sets = Vec::new();
            let mut run: Set = vec![Vec::new()];
            for s in subs {
                match exact(s) {
                    Some(set) => match product(&run, &set) {
                        Some(longer) => run = longer,
                        None => sets.push(std::mem::replace(&mut run, set)),
                    },
                    None => {
                        sets.push(std::mem::replace(&mut run, vec![Vec::new()]));
                        sets.extend(required(s));
                    }
                }
            }
            sets.push(run);
            sets
        }
        _ => Vec::new(),
    };
    sets.retain(|s| !s.is_empty() && s.iter().all(|l| !l.is_empty()));
    sets.sort_by_key(|s| std::cmp::Reverse(rarity(s)));
    sets.truncate(2);
    sets
}

/// Each of `a` followed by each of `b`, when that is still a small set.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Set> {
    if a.len().saturating_mul(b.len()) > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    dedup(out)
}

fn dedup(mut set: Set) -> Option<Set> {
    set.sort_unstable();
    set.dedup();
    (set.len() <= MAX_SET).then_some(set)
}

/// The bytes of a small class (`[-_]`, `[Kk]`).
fn class_bytes(c: &Class) -> Option<Vec<u8>> {
    const SMALL: usize = 4;
    let mut out = Vec::new();
    match c {
        Class::Bytes(b) => {
            for r in b.ranges() {
                if usize::from(r.end() - r.start()) >= SMALL {
                    return None;
                }
                out.extend(r.start()..=r.end());
            }
        }
        Class::Unicode(u) => {
            for r in u.ranges() {
                let (s, e) = (u32::from(r.start()), u32::from(r.end()));
                if e > 0x7f || e - s >= SMALL as u32 {
                    return None;
                }
                out.extend((s..=e).map(|c| c as u8));
            }
        }
    }
    (out.len() <= SMALL).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_regex(src: &str) -> TextRegex {
        let re = regex::bytes::RegexBuilder::new(src)
            .unicode(false)
            .build()
            .unwrap();
        TextRegex::new(re, src)
    }

    fn literals(src: &str) -> Vec<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(src)
            .unwrap();
        required(&hir)
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect()
            })
            .collect()
    }

    fn set(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn literals_are_what_every_match_contains() {
        assert_eq!(
            literals(r"(?:^|[^A-Za-z0-9_\-])(?P<secret>(?:pa|al)-[A-Za-z0-9_\-]{43})(?:$|[^A-Z])"),
            vec![set(&["al-", "pa-"])]
        );
        // The longer literal first, then the next; a word in any case is each of its
        // spellings.
        let sets = literals(r"(?i:KeY)[^\n]{0,100}?sk-[A-Za-z0-9]{20}T3BlbkFJ");
        assert_eq!(sets, vec![set(&["T3BlbkFJ"]), set(&["sk-"])]);
        let sets = literals(r"(?i:KeY)[^\n]{0,100}?[0-9]{20}");
        assert_eq!(sets[0].len(), 8);
        assert!(sets[0].contains(&"kEy".to_string()));
        // Each branch brings its own: the first sets and the second sets unite.
        assert_eq!(
            literals(r"moonshot[^\n]{0,9}sk-[a-z]{4}|xai-[a-z]{8}[^\n]{0,9}token"),
            vec![set(&["moonshot", "token"]), set(&["sk-", "xai-"])]
        );
        // A branch with no literal leaves the regex with none.
        assert!(literals(r"sk-[a-z]{4}|[0-9a-f]{32}").is_empty());
        // An optional literal is not required.
        assert!(literals(r"(?:sk-)?[a-z]{40}").is_empty());
    }

    #[test]
    fn unbounded_or_common_regexes_search_whole_texts() {
        assert!(!text_regex(r"sk-[a-z]+").windowed());
        assert!(!text_regex(r"(?:^|\s)a-[a-z]{8}").windowed());
        // The regex engine skips to a literal prefix itself.
        assert!(!text_regex(r"(?:openai|anthropic)[\x20\t]*=[\x20\t]*[a-z]{8}").windowed());
        // Windows open at few literals: a search for many is no faster than the regex.
        assert!(!text_regex(r"(?:^|[^a-z])(?:alpha|beta|gamma|delta)[a-z]{8}").windowed());
        assert!(text_regex(r"(?:^|[^a-z])(?:alpha|beta|gamma)[a-z]{8}").windowed());
        let w = text_regex(r"(?:^|[^a-z])(?P<secret>pa-[a-z]{8})")
            .window
            .unwrap();
        assert_eq!(w.reach, 12);
        assert!(w.run.is_empty());
        // Spaces and tabs run on: the match holds 12 other bytes and any of those.
        let w = text_regex(r"(?:^|[^a-z])key[\x20\t]*=[\x20\t]*pa-[a-z]{4}")
            .window
            .unwrap();
        assert_eq!(w.reach, 1 + 3 + 1 + 7);
        assert_eq!(w.run, b"\t ");
    }

    /// The windows find what the whole-text search finds: at a text's edges, at a
    /// window's edges, with look-behind context before a window and matches in
    /// overlapping windows.
    #[test]
    fn windows_find_what_the_whole_text_search_finds() {
        let src = r"(?:^|[^a-z])(?P<s>(?:pa|al)-[a-z]{6})(?:$|[^a-z])";
        let w = text_regex(src);
        assert!(w.windowed());
        let filler = "x ".repeat(200);
        let texts = [
            format!("pa-abcdef {filler} al-ghijkl"),
            format!("{filler}pa-abcdef {filler}zpa-abcdef {filler}"),
            format!("{filler}pa-abcdef al-abcdef pa-abcdef{filler}pa-qwerty"),
            format!("{filler}pa-abcde {filler}"),
        ];
        for t in &texts {
            let whole: Vec<_> =
                w.re.captures_iter(t.as_bytes())
                    .map(|c| c.get(0).unwrap().range())
                    .collect();
            let windowed: Vec<_> = w
                .captures_iter(t.as_bytes())
                .map(|c| c.get(0).unwrap().range())
                .collect();
            assert_eq!(windowed, whole, "{t}");
        }
        // The cases above do find matches, and the look-behind rejects `zpa-`.
        let found = w.captures_iter(texts[1].as_bytes()).count();
        assert_eq!(found, 1);
        // Padding a key away from its name with spaces does not hide it.
        let w = text_regex(r"\bkey[\x20\t]*=[\x20\t]*(?P<s>pa-[a-z]{6})\b");
        assert!(w.windowed());
        let pad = " \t".repeat(1000);
        let t = format!("{filler}key{pad}={pad}pa-abcdef {filler} key = pa-ghijkl {filler}");
        let found: Vec<_> = w
            .captures_iter(t.as_bytes())
            .map(|c| c.get(0).unwrap().range())
            .collect();
        let whole: Vec<_> =
            w.re.captures_iter(t.as_bytes())
                .map(|c| c.get(0).unwrap().range())
                .collect();
        assert_eq!(found, whole);
        assert_eq!(found.len(), 2);
    }

    /// Every built-in rule's examples, each put deep inside a large text (so windows
    /// are used) once alone and once beside all the others: the windowed search finds
    /// exactly what the whole-text search finds.
    #[test]
    fn builtin_rules_find_the_same_in_windows() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let filler = "lorem ipsum dolor sit amet, task-runner disk-usage  \t \n".repeat(200);
        let mut windowed_rules = 0;
        for rule in rules.rules() {
            let Some(tr) = rule.regex.as_ref().and_then(|l| l.get()) else {
                continue;
            };
            windowed_rules += usize::from(tr.windowed());
            let all: String = rule
                .examples
                .iter()
                .chain(&rule.negative_examples)
                .map(|e| format!("{}\n{filler}", e.text))
                .collect();
            let texts = rule
                .examples
                .iter()
                .map(|e| format!("{filler}{}\n{filler}", e.text))
                .chain([format!("{filler}{all}")]);
            for t in texts {
                let spans = |it: &mut dyn Iterator<Item = regex::bytes::Captures<'_>>| {
                    it.map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                };
                let whole = spans(&mut tr.re.captures_iter(t.as_bytes()));
                let windowed = spans(&mut tr.captures_iter(t.as_bytes()));
                assert_eq!(windowed, whole, "rule {}", rule.id);
            }
        }
        // Most regexes are bounded and need a literal; if none were, this proved nothing.
        assert!(windowed_rules >= 40, "{windowed_rules} windowed");
    }
}

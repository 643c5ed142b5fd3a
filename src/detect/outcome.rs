//! What one blob yielded, kept bounded and safe: the evidence cap (secrets first, then
//! one finding of each rule), one finding per rule and line, inline `aiscout:allow`
//! suppressions, and snippets rebuilt so that no known secret value stands in any.

use crate::model::{redacted_snippet, Evidence, Kind, Method, Redacted, Skip, SkipReason};
use crate::rules::Rule;

use super::pattern;

/// What one blob yielded.
#[derive(Debug, Default)]
pub struct BlobOutcome {
    /// Evidence, in detection order.
    pub evidence: Vec<Evidence>,
    /// Partial skips.
    pub skips: Vec<Skip>,
    /// The prefilter selected at least one rule.
    pub prefilter_hit: bool,
    /// tree-sitter ran.
    pub parsed: bool,
    /// Evidence dropped by an inline `aiscout:allow`.
    pub suppressed: u64,
    /// Over the evidence cap: what was dropped, and the (rule, method) pairs already
    /// represented, so a new one is still let in.
    capped: Option<Capped>,
}

/// The state of a blob that went over [`DetectOptions::max_evidence`].
#[derive(Debug, Default)]
struct Capped {
    /// Past twice the cap: only new (rule, method) pairs are let in.
    over: bool,
    dropped: u64,
    /// Matches a rule's regex did not report past its per-rule cap.
    rules_cut: Vec<String>,
    seen: std::collections::BTreeSet<(String, Method)>,
}

impl BlobOutcome {
    pub(super) fn clear(&mut self) {
        self.evidence.clear();
        self.skips.clear();
        self.prefilter_hit = false;
        self.parsed = false;
        self.suppressed = 0;
        self.capped = None;
    }

    /// Whether a new evidence of `rule_id` by `method` (of `kind`) is kept. A secret
    /// always is: no cap ever drops a key. Below twice the cap (dedup merges some)
    /// everything is; above it only the first of each rule and method, so the blob's
    /// memory and work stay bounded but every provider it names still reaches the
    /// inventory. [`cap_evidence`] then trims to the cap.
    pub(super) fn admit(&mut self, cap: usize, kind: Kind, rule_id: &str, method: Method) -> bool {
        if kind == Kind::Secret {
            return true;
        }
        let over = self.capped.as_ref().is_some_and(|c| c.over);
        if !over && self.evidence.len() < cap.saturating_mul(2) {
            return true;
        }
        let evidence = &self.evidence;
        let c = self.capped.get_or_insert_with(Capped::default);
        if !c.over {
            c.over = true;
            c.seen = evidence
                .iter()
                .map(|e| (e.rule_id.clone(), e.method))
                .collect();
        }
        if c.seen.insert((rule_id.to_string(), method)) {
            true
        } else {
            c.dropped += 1;
            false
        }
    }
}

/// Drops evidence on a line marked `aiscout:allow` (an inline suppression).
pub(super) fn suppress(bytes: &[u8], out: &mut BlobOutcome) {
    const MARK: &[u8] = b"aiscout:allow";
    // memmem, not a byte-by-byte window compare: this runs on every prefilter hit.
    if memchr::memmem::find(bytes, MARK).is_none() {
        return;
    }
    let before = out.evidence.len();
    out.evidence.retain(|e| {
        e.cell.is_some() || {
            let span = crate::model::line_range(bytes, e.line);
            !bytes[span].windows(MARK.len()).any(|w| w == MARK)
        }
    });
    out.suppressed += (before - out.evidence.len()) as u64;
}

/// Rebuilds the snippet of every evidence (with one) from its line of `bytes`,
/// redacting all `secrets`, and redacts its `matched`. Redacting the old snippet is not
/// enough: a snippet is cut at [`crate::model::MAX_SNIPPET_CHARS`], and a value not yet
/// known when it was cut can stand there in part (an OpenAI key after an Anthropic key
/// on one line showed 140 of its characters), where no search for the whole value
/// finds it. One pass over the blob, in line order; notebook cells are left alone.
pub(super) fn redact_snippets(
    bytes: &[u8],
    evidence: &mut [Evidence],
    secrets: &[(Vec<u8>, Redacted)],
) {
    let lookup = SecretLookup::new(secrets);
    let mut order: Vec<usize> = (0..evidence.len())
        .filter(|&i| evidence[i].cell.is_none())
        .collect();
    order.sort_by_key(|&i| evidence[i].line);
    let (mut line, mut start) = (1u32, 0usize);
    // The secrets standing in the current line, found once for all its evidence.
    let mut here: Option<(u32, Known)> = None;
    for i in order {
        let e = &mut evidence[i];
        e.matched = redact_all(e.matched.as_bytes(), &lookup.within(e.matched.as_bytes()));
        while line < e.line {
            match memchr::memchr(b'\n', &bytes[start..]) {
                Some(p) => {
                    start += p + 1;
                    line += 1;
                }
                None => break,
            }
        }
        if line != e.line || e.snippet.is_empty() {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        if here.as_ref().is_none_or(|(l, _)| *l != line) {
            here = Some((line, lookup.within(&bytes[start..end])));
        }
        let found = here.as_ref().map_or(&[][..], |(_, f)| f.as_slice());
        e.snippet = redacted_snippet(&bytes[start..end], found);
    }
}

/// Secret values with their redactions, as a blob's detectors collect them.
type Known = Vec<(Vec<u8>, Redacted)>;

/// Which of a blob's secret values stand in a text, in one pass over it. Comparing
/// every value at every position made a file of 20,000 distinct keys (every one is
/// reported: issue #14) take 38 s; with one automaton over the values it is linear.
struct SecretLookup<'s> {
    secrets: &'s [(Vec<u8>, Redacted)],
    /// Over the non-empty values; pattern `i` is `secrets[index[i]]`.
    automaton: Option<aho_corasick::AhoCorasick>,
    index: Vec<usize>,
}

impl<'s> SecretLookup<'s> {
    fn new(secrets: &'s [(Vec<u8>, Redacted)]) -> Self {
        let index: Vec<usize> = (0..secrets.len())
            .filter(|&i| !secrets[i].0.is_empty())
            .collect();
        let automaton = aho_corasick::AhoCorasick::new(index.iter().map(|&i| &secrets[i].0)).ok();
        SecretLookup {
            secrets,
            automaton,
            index,
        }
    }

    /// The secrets (value and redaction) found in `text`, overlaps included, in the
    /// order of `secrets`. Without an automaton (it could not be built) every secret.
    fn within(&self, text: &[u8]) -> Known {
        let Some(ac) = &self.automaton else {
            return self.secrets.to_vec();
        };
        let mut hit: Vec<usize> = ac
            .find_overlapping_iter(text)
            .map(|m| self.index[m.pattern().as_usize()])
            .collect();
        hit.sort_unstable();
        hit.dedup();
        hit.into_iter().map(|i| self.secrets[i].clone()).collect()
    }
}

/// `text` with every known secret value replaced by its redaction.
pub(super) fn redact_all(text: &[u8], secrets: &[(Vec<u8>, Redacted)]) -> String {
    let mut owned = text.to_vec();
    for (value, red) in secrets {
        if value.is_empty() {
            continue;
        }
        let mut i = 0;
        while let Some(pos) = owned[i..]
            .windows(value.len())
            .position(|w| w == value.as_slice())
        {
            let at = i + pos;
            owned.splice(at..at + value.len(), red.shown.bytes());
            i = at + red.shown.len();
        }
    }
    String::from_utf8_lossy(&owned).into_owned()
}

/// Notes that `rule`'s regex had more matches than its per-rule cap
/// ([`pattern::MAX_HITS_PER_RULE`]); reported with the evidence cap, never silent.
pub(super) fn rule_cut(out: &mut BlobOutcome, rule: &Rule) {
    let c = out.capped.get_or_insert_with(Capped::default);
    if !c.rules_cut.contains(&rule.id) {
        c.rules_cut.push(rule.id.clone());
    }
}

/// Keeps at most `cap` evidence of the blob besides its secrets and owner evidence,
/// and turns what was dropped into one `evidence_cap` skip. Every secret is kept, over
/// the cap too (issue #14: a key must never be lost to the keys or the 10,000 model ids
/// before it; the pattern detector already keeps one finding per repeated value past
/// its per-rule cap, so their number is bounded by the distinct keys in the file).
/// Owner evidence has its own cap (CODEOWNERS' last-match semantics need every line).
/// Of the rest, kept in this order: the first evidence of each rule and method (so
/// every provider and framework the file names still reaches its unit), then the rest
/// in file order.
pub(super) fn cap_evidence(out: &mut BlobOutcome, cap: usize) {
    let uncapped = |e: &Evidence| e.kind == Kind::Owner || e.kind == Kind::Secret;
    let counted = out.evidence.iter().filter(|e| !uncapped(e)).count();
    if counted <= cap && out.capped.is_none() {
        return;
    }
    let mut keep: Vec<bool> = out.evidence.iter().map(uncapped).collect();
    let mut room = cap;
    let mut seen = std::collections::BTreeSet::new();
    for (i, e) in out.evidence.iter().enumerate() {
        if !keep[i] && room > 0 && seen.insert((e.rule_id.as_str(), e.method)) {
            keep[i] = true;
            room -= 1;
        }
    }
    for k in keep.iter_mut() {
        if !*k && room > 0 {
            *k = true;
            room -= 1;
        }
    }
    let before = out.evidence.len();
    let mut flags = keep.into_iter();
    out.evidence.retain(|_| flags.next().unwrap_or(true));
    let c = out.capped.take().unwrap_or_default();
    let dropped = c.dropped + (before - out.evidence.len()) as u64;
    let mut message = Vec::new();
    if dropped > 0 {
        message.push(format!(
            "{dropped} findings over the limit of {cap} per file dropped \
             (every secret kept, then the first finding of each rule)"
        ));
    }
    if !c.rules_cut.is_empty() {
        message.push(format!(
            "more than {} matches of {} not reported (for secrets: repeats of a \
             value already reported)",
            pattern::MAX_HITS_PER_RULE,
            c.rules_cut.join(", ")
        ));
    }
    if !message.is_empty() {
        out.skips.push(Skip {
            reason: SkipReason::EvidenceCap,
            message: message.join("; "),
        });
    }
}

/// One evidence per rule and line: `from x import a, b` is one import of `x`. Secrets
/// are one per value: two keys on one (minified) line are two keys to rotate.
pub(super) fn dedup(evidence: &mut Vec<Evidence>) {
    fn key(e: &Evidence) -> (Option<u32>, u32, &str, Method, Option<&str>, u32) {
        let fp = e.secret.as_ref().map(|s| s.fingerprint.as_str());
        (e.cell, e.line, &e.rule_id, e.method, fp, e.column)
    }
    evidence.sort_by(|a, b| key(a).cmp(&key(b)));
    evidence.dedup_by(|b, a| {
        a.cell == b.cell
            && a.line == b.line
            && a.rule_id == b.rule_id
            && a.method == b.method
            && key(a).4 == key(b).4
    });
}

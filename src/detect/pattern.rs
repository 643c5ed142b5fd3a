//! The pattern detector: a rule's `regex` over the whole text. A named capture
//! `secret` is redacted the moment it is found; only its redaction is kept.

use std::collections::HashSet;

use super::secret;
use crate::model::{
    locate, redacted_snippet, Evidence, FileClass, FingerprintKey, LineIndex, Method, Redacted,
    INDEX_LINES_FROM,
};
use crate::rules::Rule;

/// Most hits of one rule kept per file; a file full of matches is noise, not
/// more evidence. For a secret rule the cap only drops repeats of a value already
/// reported: every distinct key is kept, however many come before it (issue #14), and a
/// file of a million copies of one key still makes at most this many findings.
pub const MAX_HITS_PER_RULE: usize = 50;

/// Up to this many secret values, each hit's snippet is redacted against all of them.
const FULL_REDACTION_UP_TO: usize = 256;

/// Owner rules read every line of a CODEOWNERS file: last-match semantics need them all.
pub const MAX_OWNER_HITS: usize = 20_000;

/// Runs `rule`'s regex over `text`, pushing one evidence per match. Secret values
/// found are fingerprinted with `key` and also pushed to `secrets` (with their
/// redaction) so the caller can keep them out of every other snippet of this blob;
/// they must not outlive the blob. `in_test`: the file is test code (secrets found
/// there are marked). Returns true when the rule matched more often than
/// its cap ([`MAX_HITS_PER_RULE`]) and the rest was not reported; for a secret rule,
/// what was not reported are repeats of values already reported.
pub fn run(
    rule: &Rule,
    path: &str,
    in_test: bool,
    text: &[u8],
    key: &FingerprintKey,
    secrets: &mut Vec<(Vec<u8>, Redacted)>,
    out: &mut Vec<Evidence>,
) -> bool {
    let Some(text_re) = rule.regex.as_ref().and_then(|l| l.get()) else {
        return false;
    };
    let re = &text_re.re;
    let secret_idx = re.capture_names().position(|n| n == Some("secret"));
    // Further captures named `secret_*` (an AWS key id beside its secret) are
    // redacted in every snippet too, but the finding is about `secret`.
    let extra: Vec<usize> = re
        .capture_names()
        .enumerate()
        .filter(|(_, n)| n.is_some_and(|n| n.starts_with("secret_")))
        .map(|(i, _)| i)
        .collect();
    let value_idx = re.capture_names().position(|n| n == Some("value"));
    // A branch with a `skip` capture consumes text the rule must not report: it starts
    // earlier than the match it hides (a guarded attachment's `if` line).
    let skip_idx = re.capture_names().position(|n| n == Some("skip"));
    let cap = if rule.kind == crate::model::Kind::Owner {
        MAX_OWNER_HITS
    } else {
        MAX_HITS_PER_RULE
    };
    let mut hits = 0;
    let mut cut = false;
    // Values of this rule already reported (they borrow `text`): past the cap a repeat
    // is dropped, a new value never is. Each value is also pushed to `secrets` once, so
    // a file of repeats does not grow the list every snippet is redacted against.
    let mut reported: HashSet<&[u8]> = HashSet::new();
    let mut companions: HashSet<&[u8]> = HashSet::new();
    // The values this rule found on the line of the current hit, and where it starts.
    let (mut on_line, mut line_start) = (Vec::new(), usize::MAX);
    // Owner rules keep up to 20,000 hits: each must not count every newline before it.
    let mut index: Option<LineIndex> = None;
    for caps in text_re.captures_iter(text) {
        if hits >= cap && secret_idx.is_none() {
            return true;
        }
        if skip_idx.is_some_and(|i| caps.get(i).is_some()) {
            continue;
        }
        let whole = caps.get(0).expect("group 0 always matches");
        let (focus, redacted) = match secret_idx.and_then(|i| caps.get(i)) {
            Some(m) => {
                let value = m.as_bytes();
                if secret::is_placeholder(value)
                    || (rule.generic && !crate::model::credential_like(value))
                    || rule.entropy.is_some_and(|min| secret::entropy(value) < min)
                {
                    continue;
                }
                let new = reported.insert(value);
                if hits >= cap && !new {
                    cut = true;
                    continue;
                }
                let red = Redacted::new(value, key);
                if new {
                    secrets.push((value.to_vec(), red.clone()));
                }
                for m in extra.iter().filter_map(|&i| caps.get(i)) {
                    if companions.insert(m.as_bytes()) {
                        secrets.push((m.as_bytes().to_vec(), Redacted::new(m.as_bytes(), key)));
                    }
                }
                (m, Some(red))
            }
            // A secret rule's branch without its `secret` capture consumed a look-alike
            // (another provider's key of the same shape, under that provider's name), so
            // that the rule does not report it: nothing to report, nothing to show.
            None if secret_idx.is_some() => continue,
            None => (whole, None),
        };
        hits += 1;
        let (line, column, line_span) = if text.len() < INDEX_LINES_FROM {
            locate(text, focus.start())
        } else {
            index
                .get_or_insert_with(|| LineIndex::new(text))
                .locate(text, focus.start())
        };
        // Every secret found so far is redacted, this one included; the caller
        // runs secret rules first, and rebuilds every snippet of the blob against all
        // of its secrets once they are known (`outcome::redact_snippets`). Past a few
        // hundred values, comparing each at each position of each line is quadratic
        // (20,000 distinct keys took 38 s), so this first snippet then redacts the
        // values this rule found on its own line, and the rebuild does the rest.
        if line_span.start != line_start {
            line_start = line_span.start;
            on_line.clear();
        }
        if let Some(r) = &redacted {
            on_line.push((focus.as_bytes().to_vec(), r.clone()));
        }
        let known = if secrets.len() <= FULL_REDACTION_UP_TO {
            secrets.as_slice()
        } else {
            on_line.as_slice()
        };
        let snip = redacted_snippet(&text[line_span], known);
        // A `value` capture names what the rule extracts (an owner, a setting).
        let matched = match (&redacted, value_idx.and_then(|i| caps.get(i))) {
            (Some(r), _) => r.shown.clone(),
            (None, Some(v)) => redacted_snippet(v.as_bytes(), secrets),
            (None, None) => redacted_snippet(&text[whole.range()], secrets),
        };
        out.push(Evidence {
            path: path.to_string(),
            cell: None,
            line,
            column,
            rule_id: rule.id.clone(),
            kind: rule.kind,
            identifies: rule.identifies.clone(),
            category: rule.category.clone(),
            method: Method::Pattern,
            matched,
            snippet: snip,
            in_test: redacted.is_some() && in_test,
            history: None,
            baselined: false,
            secret: redacted,
            file: FileClass::default(),
        });
    }
    cut
}

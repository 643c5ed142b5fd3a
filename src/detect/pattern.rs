//! The pattern detector: a rule's `regex` over the whole text. A named capture
//! `secret` is redacted the moment it is found; only its redaction is kept.

use super::secret;
use crate::model::{
    locate, redacted_snippet, Evidence, FileClass, FingerprintKey, LineIndex, Method, Redacted,
    INDEX_LINES_FROM,
};
use crate::rules::Rule;

/// Most hits of one rule kept per file; a file full of matches is noise, not
/// more evidence.
pub const MAX_HITS_PER_RULE: usize = 50;

/// Owner rules read every line of a CODEOWNERS file: last-match semantics need them all.
pub const MAX_OWNER_HITS: usize = 20_000;

/// Runs `rule`'s regex over `text`, pushing one evidence per match. Secret values
/// found are fingerprinted with `key` and also pushed to `secrets` (with their
/// redaction) so the caller can keep them out of every other snippet of this blob;
/// they must not outlive the blob. `in_test`: the file is test code (secrets found
/// there are marked). Returns true when the rule matched more often than
/// its cap ([`MAX_HITS_PER_RULE`]) and the rest was not reported.
pub fn run(
    rule: &Rule,
    path: &str,
    in_test: bool,
    text: &[u8],
    key: &FingerprintKey,
    secrets: &mut Vec<(Vec<u8>, Redacted)>,
    out: &mut Vec<Evidence>,
) -> bool {
    let Some(re) = rule.regex.as_ref().and_then(|l| l.get()) else {
        return false;
    };
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
    let cap = if rule.kind == crate::model::Kind::Owner {
        MAX_OWNER_HITS
    } else {
        MAX_HITS_PER_RULE
    };
    let mut hits = 0;
    // Owner rules keep up to 20,000 hits: each must not count every newline before it.
    let mut index: Option<LineIndex> = None;
    for caps in re.captures_iter(text) {
        if hits == cap {
            return true;
        }
        let whole = caps.get(0).expect("group 0 always matches");
        let (focus, redacted) = match secret_idx.and_then(|i| caps.get(i)) {
            Some(m) => {
                let value = m.as_bytes();
                if secret::is_placeholder(value)
                    || rule.entropy.is_some_and(|min| secret::entropy(value) < min)
                {
                    continue;
                }
                let red = Redacted::new(value, key);
                secrets.push((value.to_vec(), red.clone()));
                for m in extra.iter().filter_map(|&i| caps.get(i)) {
                    secrets.push((m.as_bytes().to_vec(), Redacted::new(m.as_bytes(), key)));
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
        // runs secret rules first, and redacts again for secrets found later.
        let snip = redacted_snippet(&text[line_span], secrets);
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
    false
}

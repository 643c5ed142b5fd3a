//! Making evidence at a place: what every evidence of one blob shares (its path, the
//! notebook cell, the secrets found so far), locating an offset, and the literal rules
//! (endpoints, model ids) that every detector applies to the strings it sees.

use std::cell::RefCell;

use crate::model::{
    locate, redacted_snippet, Evidence, FileClass, Kind, LineIndex, Method, Redacted,
    INDEX_LINES_FROM,
};
use crate::rules::Rule;

use super::outcome::{redact_all, BlobOutcome};

/// What every evidence of one blob shares.
pub(super) struct BlobState<'a> {
    pub(super) path: &'a str,
    pub(super) cell: Option<u32>,
    /// Secret values found in this blob, held only while it is scanned, so that no
    /// snippet of any evidence can show them.
    pub(super) secrets: Vec<(Vec<u8>, Redacted)>,
    pub(super) in_test: bool,
    /// [`DetectOptions::max_evidence`].
    pub(super) max_evidence: usize,
    /// [`DetectOptions::inline_allow`].
    pub(super) inline_allow: bool,
    /// Line starts of the text findings are being placed in (the blob, or the current
    /// notebook cell), made on the first finding in a large text.
    pub(super) lines: RefCell<Option<Indexed>>,
    /// Secrets found in decoded configuration values, across the blob's values: the
    /// fingerprints already in `secrets`, each (rule, fingerprint) reported, and findings
    /// per rule, so a million values holding one key make a bounded number of findings
    /// while every distinct key is still reported.
    pub(super) decoded: DecodedSecrets,
}

/// See [`BlobState::decoded`].
#[derive(Default)]
pub(super) struct DecodedSecrets {
    pub(super) known: std::collections::HashSet<String>,
    pub(super) reported: std::collections::HashSet<(String, String)>,
    pub(super) per_rule: std::collections::HashMap<String, usize>,
}

/// A [`LineIndex`] with the text it was made for: address, length, notebook cell.
type Indexed = (usize, usize, Option<u32>, LineIndex);

impl BlobState<'_> {
    /// [`locate`], through a line index for large texts: a file with thousands of
    /// findings must not count its newlines once per finding.
    pub(super) fn locate(&self, text: &[u8], offset: usize) -> (u32, u32, std::ops::Range<usize>) {
        if text.len() < INDEX_LINES_FROM {
            return locate(text, offset);
        }
        let mut lines = self.lines.borrow_mut();
        // The same text is the same address and length within one cell of one blob
        // (the blob outlives the scan of it; a cell's text, the scan of that cell).
        let key = (text.as_ptr() as usize, text.len(), self.cell);
        match &*lines {
            Some((p, n, c, index)) if (*p, *n, *c) == key => index.locate(text, offset),
            _ => {
                let index = LineIndex::new(text);
                let found = index.locate(text, offset);
                *lines = Some((key.0, key.1, key.2, index));
                found
            }
        }
    }
}

/// Where a literal stands, as far as the literal rules care.
#[derive(Clone, Copy, Debug)]
pub(super) struct Place {
    /// Where a URL is used: a call argument, a URL-ish name, a configuration value.
    pub(super) url: bool,
    /// As a value: a call argument, the value of a name or key, a configuration value;
    /// not a dict key, a list element (in code or configuration) or a comparison operand. A provider rule's model
    /// route (`"openai/gpt-4o"`) counts only here, so a table keyed by model names
    /// (`{"openai:gpt-4.1": 1047576}`) is not a provider choice; a model rule counts
    /// everywhere.
    pub(super) value: bool,
}

/// Endpoint and model-id rules on one literal (a string in code, or a token of a
/// configuration file), standing at `place`.
pub(super) fn match_literal(
    state: &BlobState,
    text: &[u8],
    rules: &[&Rule],
    value: &str,
    offset: usize,
    place: Place,
    out: &mut BlobOutcome,
) {
    for rule in rules {
        if place.url && rule.endpoints.iter().any(|h| h.matches_url(value)) {
            let host = crate::rules::url_host(value)
                .map(|(h, _)| h)
                .unwrap_or_default();
            push_at(state, out, rule, text, offset, Method::Endpoint, &host);
        } else if (place.value || rule.kind != Kind::Provider)
            && rule
                .models
                .as_ref()
                .and_then(|m| m.get())
                .is_some_and(|m| m.is_match(value))
        {
            push_at(state, out, rule, text, offset, Method::Literal, value);
        }
    }
}

pub(super) fn push_at(
    state: &BlobState,
    out: &mut BlobOutcome,
    rule: &Rule,
    text: &[u8],
    offset: usize,
    method: Method,
    matched: &str,
) {
    // Before `locate`: a blob over the cap costs no more work per dropped hit.
    if !out.admit(state.max_evidence, rule.kind, &rule.id, method) {
        return;
    }
    let (line, column, span) = state.locate(text, offset);
    let line_text = &text[span];
    if state.cell.is_some()
        && state.inline_allow
        && line_text.windows(13).any(|w| w == b"aiscout:allow")
    {
        out.suppressed += 1;
        return;
    }
    out.evidence.push(Evidence {
        path: state.path.to_string(),
        cell: state.cell,
        line,
        column,
        rule_id: rule.id.clone(),
        kind: rule.kind,
        identifies: rule.identifies.clone(),
        category: rule.category.clone(),
        method,
        matched: redact_all(matched.as_bytes(), &state.secrets),
        snippet: redacted_snippet(line_text, &state.secrets),
        secret: None,
        in_test: state.in_test && rule.kind == crate::model::Kind::Secret,
        history: None,
        baselined: false,
        file: FileClass::default(),
    });
}

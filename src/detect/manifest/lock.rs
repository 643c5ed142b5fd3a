//! Lenient, order-preserving serde forms and a forward-only key finder shared by the
//! JSON / YAML / TOML lockfile and manifest readers of every ecosystem (`npm.rs`,
//! `python.rs`). serde gives no spans, so an offset is found by searching the text for
//! the key, forward from the previous one: one pass over a whole lockfile.

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{find, Dependency};
use crate::model::Ecosystem;
use crate::rules::normalize_package;

/// A scalar read as text (`"a"`, `1`, `true` → `Some`); `null`, a sequence or a map
/// → `None`. Used for keys and for fields whose type we do not trust.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Scalar(pub Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar(Some(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }
}

/// A document whose top level must be a map: a derived struct alone would also
/// accept a sequence of its fields (`[1, 2]`).
#[derive(Debug)]
pub(crate) struct TopMap<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TopMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(TopMapVisitor(PhantomData))
    }
}

struct TopMapVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for TopMapVisitor<T> {
    type Value = TopMap<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map at the top level")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TopMap<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(TopMap)
    }
}

/// Keys a map may have in a lockfile: a scalar as text (`None` entries are dropped).
pub(crate) trait MapKey: Sized {
    /// The key, if it is one we can name.
    fn into_key(self) -> Option<Self>;
}

impl MapKey for Scalar {
    fn into_key(self) -> Option<Self> {
        self.0.is_some().then_some(self)
    }
}

impl MapKey for String {
    fn into_key(self) -> Option<Self> {
        Some(self)
    }
}

impl<T> MapKey for toml::Spanned<T> {
    fn into_key(self) -> Option<Self> {
        Some(self)
    }
}

/// A map's entries in document order (`serde_json::Map` and `toml::Table` sort their
/// keys). Anything but a map reads as empty, so one odd section does not reject a
/// whole lockfile.
#[derive(Debug)]
pub(crate) struct InOrder<V, K = Scalar>(pub Vec<(K, V)>);

impl<V, K> Default for InOrder<V, K> {
    fn default() -> Self {
        InOrder(Vec::new())
    }
}

impl<V> InOrder<V> {
    /// The entries with their keys as text.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0
            .iter()
            .filter_map(|(k, v)| k.0.as_deref().map(|k| (k, v)))
    }
}

impl<'de, V: Deserialize<'de>, K: Deserialize<'de> + MapKey> Deserialize<'de> for InOrder<V, K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(InOrderVisitor(PhantomData))
    }
}

struct InOrderVisitor<V, K>(PhantomData<(V, K)>);

impl<'de, V: Deserialize<'de>, K: Deserialize<'de> + MapKey> Visitor<'de> for InOrderVisitor<V, K> {
    type Value = InOrder<V, K>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<K>()? {
            let v = map.next_value::<V>()?;
            if let Some(k) = k.into_key() {
                out.push((k, v));
            }
        }
        Ok(InOrder(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(InOrder::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(InOrder::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        InOrder::deserialize(d)
    }
}

/// How many keys a [`Seeker`] may fail to find before it stops searching: each miss
/// reads to the end of the text, so an unbounded number would make a large file with
/// oddly written keys quadratic.
const MAX_MISSES: u32 = 16;

/// Finds keys in the text in the order a parser read them, each search starting where
/// the previous match ended: one pass over the text for a whole lockfile.
#[derive(Debug)]
pub(crate) struct Seeker<'a> {
    text: &'a str,
    pos: usize,
    misses: u32,
}

impl<'a> Seeker<'a> {
    /// A seeker starting at byte `pos`.
    pub(crate) fn new(text: &'a str, pos: usize) -> Seeker<'a> {
        Seeker {
            text,
            pos,
            misses: 0,
        }
    }

    /// Where the cursor is.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The offset of the first `needle` at or after the cursor for which
    /// `accept(text, start, end)` holds; the cursor moves past it.
    pub(crate) fn seek(
        &mut self,
        needle: &str,
        accept: impl Fn(&str, usize, usize) -> bool,
    ) -> Option<usize> {
        if needle.is_empty() || self.misses >= MAX_MISSES {
            return None;
        }
        let mut from = self.pos;
        while let Some(at) = find(self.text, needle, from) {
            let end = at + needle.len();
            if accept(self.text, at, end) {
                self.pos = end;
                return Some(at);
            }
            from = end;
        }
        self.misses += 1;
        None
    }
}

/// Alias replay a YAML lockfile or manifest may cost, in parser events. Real lockfiles
/// use no aliases; 100,000 replayed events is ~10 ms of work, so a billion-laughs file
/// (9^9 events if expanded) is refused at once rather than after serde-saphyr's
/// default of a million.
const MAX_YAML_REPLAYED_EVENTS: usize = 100_000;

/// Reads a YAML lockfile or manifest (`pnpm-lock.yaml`, a berry `yarn.lock`, a conda
/// `environment.yml`) into `T`, within bounds:
///
/// - YAML 1.2 core scalars: only `true`/`false` are booleans, `0755` and `1_000` stay
///   strings (a version is never turned into a number it did not spell);
/// - a repeated key is an error, as YAML says (serde-saphyr's default);
/// - a tab that indents a block key or entry is an error ([`tab_indented`]);
/// - nesting stops at serde-saphyr's depth 64 (an error, never a stack overflow), alias
///   replay at [`MAX_YAML_REPLAYED_EVENTS`]; the event and node counts are not capped
///   again, since the file's size already is (`--max-file-size`): a 10 MB pnpm lockfile
///   has about a million nodes;
/// - the message never quotes the file (no snippet), and an alias bomb reads
///   `repetition limit exceeded` whichever alias limit stopped it.
pub(crate) fn from_yaml<T: de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = usize::MAX;
    budget.max_nodes = usize::MAX;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = MAX_YAML_REPLAYED_EVENTS;
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.with_snippet = false;
    let value = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        if alias_bomb(&e) {
            format!("repetition limit exceeded (YAML aliases): {e}")
        } else {
            e.to_string()
        }
    })?;
    match tab_indented(text) {
        Some(line) => Err(format!(
            "a tab indents a key or list entry at line {line} (YAML indents with spaces)"
        )),
        None => Ok(value),
    }
}

/// The line where a tab indents a block mapping key or sequence entry (`\t x: y`), if
/// any. YAML forbids tabs in indentation and libyaml refuses them; serde-saphyr's
/// parser lets a tab pass where the current indentation does not need it (at the top
/// level, or deeper than the parent). Lockfiles are written with spaces, so a tab there
/// means the file is not what its name says. Costs a second, token-only pass, and only
/// over a text that holds a tab at all.
fn tab_indented(text: &str) -> Option<usize> {
    use serde_saphyr::granit_parser::{Scanner, StrInput, TokenType};
    memchr::memchr(b'\t', text.as_bytes())?;
    let mut flow = 0usize;
    for token in Scanner::new(StrInput::new(text)) {
        // The parse that just succeeded read the same tokens.
        let token = token.ok()?;
        match token.token_type() {
            TokenType::FlowSequenceStart | TokenType::FlowMappingStart => flow += 1,
            TokenType::FlowSequenceEnd | TokenType::FlowMappingEnd => flow = flow.saturating_sub(1),
            TokenType::BlockEntry | TokenType::Key if flow == 0 => {
                let start = token.span().start;
                let at = start.byte_offset()?;
                let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
                if text.get(line_start..at)?.contains('\t') {
                    return Some(start.line());
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether serde-saphyr stopped on one of its alias limits.
fn alias_bomb(mut e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::Error as E;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = e {
        e = error;
    }
    matches!(
        e,
        E::AliasReplayLimitExceeded { .. }
            | E::AliasExpansionLimitExceeded { .. }
            | E::AliasReplayStackDepthExceeded { .. }
            | E::AliasReplayCounterOverflow { .. }
            | E::Budget {
                breach: BudgetBreach::Aliases { .. }
                    | BudgetBreach::AliasAnchorRatio { .. }
                    | BudgetBreach::RecordedAnchorEvents { .. }
                    | BudgetBreach::RecordedAnchorBytes { .. },
                ..
            }
    )
}

/// `text[start..end]` is a JSON object key whose value is an object: `"k": {`.
pub(crate) fn json_object_key(text: &str, _start: usize, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start();
    rest.strip_prefix(':')
        .is_some_and(|r| r.trim_start().starts_with('{'))
}

/// `text[start..end]` is a JSON object key: `"k":`.
pub(crate) fn json_key(text: &str, _start: usize, end: usize) -> bool {
    text.get(end..).unwrap_or("").trim_start().starts_with(':')
}

/// `text[start..end]` is a block-style YAML key, bare or quoted: `  k:`, `"k":`.
pub(crate) fn yaml_key(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let (before, quote) = match start.checked_sub(1).map(|i| b[i]) {
        Some(q @ (b'"' | b'\'')) => (start.checked_sub(2).map(|i| b[i]), Some(q)),
        other => (other, None),
    };
    if !matches!(
        before,
        None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'{' | b',')
    ) {
        return false;
    }
    let mut i = end;
    if let Some(q) = quote {
        if b.get(i) != Some(&q) {
            return false;
        }
        i += 1;
    }
    b.get(i) == Some(&b':') && matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// The offset of a top-level YAML key (`name:` at column 0).
pub(crate) fn yaml_top_key(text: &str, name: &str) -> Option<usize> {
    Seeker::new(text, 0).seek(name, |t, s, e| {
        (s == 0 || t.as_bytes()[s - 1] == b'\n') && yaml_key(t, s, e)
    })
}

/// Dependencies of one lockfile: each name once, at its first occurrence.
#[derive(Debug)]
pub(crate) struct Locked {
    eco: Ecosystem,
    out: Vec<Dependency>,
    seen: HashSet<String>,
}

impl Locked {
    /// An empty set of `eco` packages.
    pub(crate) fn new(eco: Ecosystem) -> Locked {
        Locked {
            eco,
            out: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Records `name` at `offset` unless it was seen already.
    pub(crate) fn push(&mut self, name: &str, offset: usize) {
        let name = normalize_package(name, self.eco);
        if self.seen.insert(name.clone()) {
            self.out.push(Dependency {
                name,
                offset,
                locked: true,
            });
        }
    }

    /// The dependencies in file order.
    pub(crate) fn finish(mut self) -> Vec<Dependency> {
        self.out.sort_by_key(|d| d.offset);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tab may separate flow entries and sit inside scalars, but never indent a block
    /// key or entry: the parser refuses it below the top level, [`tab_indented`] at it.
    #[test]
    fn tabs_indent_nothing_in_yaml_lockfiles() {
        for top in ["\t x: y\n", "\t- a\n", " \tx: y\n"] {
            let e = from_yaml::<serde_json::Value>(top).unwrap_err();
            assert!(e.contains("a tab indents"), "{top:?}: {e}");
        }
        for nested in ["a:\n\tb: c\n", "a:\n\t- b\n"] {
            assert!(
                from_yaml::<serde_json::Value>(nested).is_err(),
                "{nested:?}"
            );
        }
        for good in [
            "a: [1,\n\t2]\n",
            "a: {b: 1,\n\tc: 2}\n",
            "a: \"x\ty\"\n",
            "a: |\n  \tliteral text\n",
            "a:\tb\n",
            "# \tcomment\na: b\n",
        ] {
            assert!(from_yaml::<serde_json::Value>(good).is_ok(), "{good:?}");
        }
    }

    /// An alias bomb is refused with the message the skip has always carried, and
    /// aliases within the bound are expanded.
    #[test]
    fn alias_replay_is_bounded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, cur) in ('a'..'i').zip('b'..='i') {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            bomb.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
        }
        let e = from_yaml::<serde_json::Value>(&bomb).unwrap_err();
        assert!(e.starts_with("repetition limit exceeded"), "{e}");
        let v: serde_json::Value = from_yaml("a: &a [1, 2]\nb: *a\n").unwrap();
        assert_eq!(v["b"], serde_json::json!([1, 2]));
    }
}

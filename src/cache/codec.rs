//! The cache file format (integers little-endian): magic `AISCOUTC`, `u32` [`FORMAT`],
//! `u8` source, 32-byte SHA-256 of the identity, the repository path (`u32` length +
//! bytes), `u64` entry count, the entries, the tree listing, and a SHA-256 of everything
//! before it (see the `cache` module docs for an entry's layout). Decoding trusts
//! nothing: a wrong magic, format, identity, repository or checksum, a truncated or
//! garbage file, is refused, never a panic or an allocation sized by the file.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{CachedOutcome, Entry, Listing, Loaded, RepoCache, Source, Stamp, FORMAT};
use crate::model::{Evidence, Skip, SkipReason};
use crate::source::filekind::FileKind;

const MAGIC: &[u8; 8] = b"AISCOUTC";

/// The part of an entry stored as JSON, and only when not empty.
#[derive(Serialize, Deserialize)]
struct Detail {
    evidence: Vec<Evidence>,
    skips: Vec<(SkipReason, String)>,
}

// An entry's flags byte.
const RACY: u8 = 1;
const BINARY: u8 = 2;
const PREFILTER_HIT: u8 = 4;
const PARSED: u8 = 8;
const DETAIL: u8 = 16;

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    // Keys and details are far below 4 GiB: a path, or one blob's evidence.
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
}

pub(super) fn encode(table: &RepoCache, identity: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + table.seen * 96);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.push(table.source.tag());
    out.extend_from_slice(identity);
    put_bytes(&mut out, table.repo.as_bytes());
    // Sorted, so the same scan writes the same bytes.
    let mut seen: Vec<(&Vec<u8>, &Entry)> = table.entries.iter().filter(|(_, e)| e.seen).collect();
    seen.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.extend_from_slice(&(seen.len() as u64).to_le_bytes());
    for (key, e) in seen {
        put_bytes(&mut out, key);
        out.extend_from_slice(&e.stamp.size.to_le_bytes());
        out.extend_from_slice(&e.stamp.mtime_ns.to_le_bytes());
        out.extend_from_slice(&e.stamp.ctime_ns.to_le_bytes());
        out.extend_from_slice(&e.stamp.ino.to_le_bytes());
        out.extend_from_slice(&e.content);
        let s = &e.stored;
        let detail = !s.evidence.is_empty() || !s.skips.is_empty();
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        let flags = flag(e.racy, RACY)
            | flag(s.binary, BINARY)
            | flag(s.prefilter_hit, PREFILTER_HIT)
            | flag(s.parsed, PARSED)
            | flag(detail, DETAIL);
        out.push(flags);
        out.extend_from_slice(&s.scanned.to_le_bytes());
        out.extend_from_slice(&s.suppressed.to_le_bytes());
        if detail {
            let d = Detail {
                evidence: s.evidence.clone(),
                skips: s
                    .skips
                    .iter()
                    .map(|k| (k.reason, k.message.clone()))
                    .collect(),
            };
            let json = serde_json::to_vec(&d).expect("evidence serializes: plain data");
            put_bytes(&mut out, &json);
        }
    }
    match &table.listing {
        None => out.push(0),
        Some((id, items)) => {
            out.push(1);
            put_bytes(&mut out, id);
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for (path, oid) in items {
                put_bytes(&mut out, path.as_bytes());
                put_bytes(&mut out, oid);
            }
        }
    }
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// Reads what `encode` wrote; anything else is `Corrupt` or `Invalidated`.
pub(super) fn decode(data: &[u8], identity: &[u8; 32], source: Source, repo: &str) -> Loaded {
    let mut r = Reader { data, pos: 0 };
    if r.take(8) != Some(MAGIC.as_slice()) {
        return Loaded::Corrupt;
    }
    match r.u32() {
        Some(FORMAT) => {}
        // Another format: another version wrote it; its checksum may sit elsewhere.
        Some(_) => return Loaded::Invalidated,
        None => return Loaded::Corrupt,
    }
    let Some(body_len) = data.len().checked_sub(32) else {
        return Loaded::Corrupt;
    };
    if body_len < r.pos || Sha256::digest(&data[..body_len]).as_slice() != &data[body_len..] {
        return Loaded::Corrupt;
    }
    let r = &mut Reader {
        data: &data[..body_len],
        pos: r.pos,
    };
    match decode_body(r, identity, source, repo) {
        Some(Some((entries, listing))) if r.pos == body_len => Loaded::Entries(entries, listing),
        Some(None) => Loaded::Invalidated,
        _ => Loaded::Corrupt,
    }
}

/// For `fuzz/`: the cache file reader on arbitrary bytes, both whole (magic, format,
/// checksum) and past the checksum (the body, for whatever source, identity and
/// repository its header names, so random input reaches the entry parser). Returns the
/// entries read.
#[doc(hidden)]
pub fn fuzz_read(data: &[u8]) -> usize {
    let whole = match decode(data, &[0; 32], Source::Files, "") {
        Loaded::Entries(e, _) => e.len(),
        _ => 0,
    };
    let mut r = Reader { data, pos: 0 };
    let header = (|| {
        let source = [Source::Files, Source::Tree, Source::History, Source::Staged]
            .into_iter()
            .find(|s| Some(s.tag()) == r.u8())?;
        let identity: [u8; 32] = r.take(32)?.try_into().ok()?;
        let repo = std::str::from_utf8(r.bytes()?).ok()?.to_string();
        Some((source, identity, repo))
    })();
    let body = header.and_then(|(source, identity, repo)| {
        decode_body(&mut Reader { data, pos: 0 }, &identity, source, &repo)
    });
    whole + body.flatten().map_or(0, |(e, _)| e.len())
}

/// What a cache file holds: its entries, and a tree listing.
type Body = (HashMap<Vec<u8>, Entry>, Option<Listing>);

/// `None`: corrupt. `Some(None)`: written for another identity, source or repository.
fn decode_body(
    r: &mut Reader,
    identity: &[u8; 32],
    source: Source,
    repo: &str,
) -> Option<Option<Body>> {
    let tag = r.u8()?;
    let id = r.take(32)?;
    let path = r.bytes()?;
    if tag != source.tag() || id != identity.as_slice() || path != repo.as_bytes() {
        return Some(None);
    }
    let count = r.u64()?;
    // Never trust a count to size an allocation: an entry takes at least 57 bytes.
    let mut entries = HashMap::with_capacity((count as usize).min(r.remaining() / 57));
    for _ in 0..count {
        let key = r.bytes()?.to_vec();
        let stamp = Stamp {
            size: r.u64()?,
            mtime_ns: r.u64()? as i64,
            ctime_ns: r.u64()? as i64,
            ino: r.u64()?,
        };
        let mut content = [0u8; 16];
        content.copy_from_slice(r.take(16)?);
        let flags = r.u8()?;
        let mut stored = CachedOutcome {
            binary: flags & BINARY != 0,
            scanned: r.u64()?,
            prefilter_hit: flags & PREFILTER_HIT != 0,
            parsed: flags & PARSED != 0,
            suppressed: r.u64()?,
            evidence: Vec::new(),
            skips: Vec::new(),
        };
        if flags & DETAIL != 0 {
            let d: Detail = serde_json::from_slice(r.bytes()?).ok()?;
            stored.evidence = d.evidence;
            // Not stored: what the classifier says of each path.
            for e in &mut stored.evidence {
                e.file = FileKind::of(&e.path).class;
            }
            stored.skips = d
                .skips
                .into_iter()
                .map(|(reason, message)| Skip { reason, message })
                .collect();
        }
        let entry = Entry {
            stamp,
            content,
            racy: flags & RACY != 0,
            seen: false,
            stored,
        };
        entries.insert(key, entry);
    }
    let listing = match r.u8()? {
        0 => None,
        1 => {
            let id = r.bytes()?.to_vec();
            let n = r.u64()?;
            // An item takes at least 8 bytes: never trust a count to size an allocation.
            let mut items = Vec::with_capacity((n as usize).min(r.remaining() / 8));
            for _ in 0..n {
                let path = String::from_utf8(r.bytes()?.to_vec()).ok()?;
                items.push((path, r.bytes()?.to_vec()));
            }
            Some((id, items))
        }
        _ => return None,
    };
    Some(Some((entries, listing)))
}

/// Bounds-checked little-endian reads: every read of past the end is `None`.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

//! Sources: turn what the user named into a stream of blobs.
//!
//! Owns walking directory trees (`walk`), recognising repositories inside them and
//! their identity (`repo`), and the limits every read obeys (`limits`). A source never
//! interprets a blob's contents beyond the binary check; it never writes anything,
//! never follows a symlink, and never runs a program from a scanned repository.

pub mod exclude;
pub mod filekind;
pub mod git;
pub mod ignores;
pub mod index;
pub mod limits;
pub mod repo;
pub mod walk;

/// Whether the first [`limits::BINARY_SNIFF_LEN`] bytes of a file already make it
/// binary: a NUL, and no UTF-16 byte-order mark that [`decode_utf16`] would read.
pub fn binary_sniff(sniff: &[u8]) -> bool {
    sniff.contains(&0) && !matches!(sniff, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..])
}

/// Decodes a UTF-16 file (with a BOM) to UTF-8, so keys in UTF-16 `.env` files written
/// by Windows tools are still found. Returns `None` for anything else.
pub fn decode_utf16(bytes: &[u8]) -> Option<Vec<u8>> {
    let (le, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_le_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "KEY=v".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_utf16(&bytes).unwrap(), b"KEY=v");
        assert!(decode_utf16(b"plain").is_none());
    }
}

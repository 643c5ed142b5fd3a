//! Escaping of text from a scanned tree for terminals and CI logs: `model::shown` (one
//! field) and `model::LogSafe` (whole lines, written in arbitrary pieces). Nothing that
//! comes out may drive a terminal or a CI runner.
#![no_main]

use std::io::Write;

use aiscout::model::{shown, LogSafe};
use libfuzzer_sys::fuzz_target;

/// Fails when `out` holds a raw control (other than the line breaks and, for lines,
/// tabs it allows), a bidi control, or a line that is or holds a workflow command.
fn check(out: &str, line_breaks: bool) {
    for c in out.chars() {
        let allowed = line_breaks && (c == '\n' || c == '\t');
        let bad = c.is_control()
            || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}');
        assert!(allowed || !bad, "raw {c:?} in {out:?}");
    }
    for line in out.split('\n') {
        assert!(!line.trim_start().starts_with("::"), "{line:?}");
        let lower = line.to_ascii_lowercase();
        assert!(!lower.contains("##vso[") && !lower.contains("##["), "{line:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let field = shown(&text);
    check(&field, false);
    // Escaping is stable: what is shown is shown as it is.
    assert_eq!(shown(&field), field);

    // Lines written in pieces split at every byte the first byte chooses.
    let step = data.first().map_or(1, |&b| usize::from(b % 7) + 1);
    let mut out = Vec::new();
    {
        let mut w = LogSafe::new(&mut out, false);
        for piece in data.chunks(step) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap();
    }
    check(&String::from_utf8(out).expect("LogSafe writes UTF-8"), true);
});

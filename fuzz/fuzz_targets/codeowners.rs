//! CODEOWNERS matching: arbitrary CODEOWNERS lines (pattern and owners) through
//! `OwnerSources::from_evidence`, then resolved for paths taken from the same input.
#![no_main]

use aiscout::inventory::owner::OwnerSources;
use aiscout::model::{Evidence, Kind, Method};
use libfuzzer_sys::fuzz_target;

fn owner_line(line: u32, matched: &str) -> Evidence {
    Evidence {
        path: ".github/CODEOWNERS".into(),
        cell: None,
        line,
        column: 1,
        rule_id: "owner.codeowners".into(),
        kind: Kind::Owner,
        identifies: "codeowners".into(),
        category: None,
        method: Method::Pattern,
        matched: matched.into(),
        snippet: String::new(),
        secret: None,
        in_test: false,
        history: None,
        baselined: false,
        file: Default::default(),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Before the first NUL: CODEOWNERS lines; after it: paths to resolve.
    let (lines, paths) = text.split_once('\0').unwrap_or((&text, "src/app.py\nx"));
    let evidence: Vec<Evidence> = lines
        .lines()
        .take(64)
        .enumerate()
        .map(|(i, l)| owner_line(i as u32 + 1, l))
        .collect();
    let sources = OwnerSources::from_evidence(evidence.iter());
    for p in paths.lines().take(8) {
        let dir = p.rsplit_once('/').map_or("", |(d, _)| d);
        let _ = sources.resolve(dir, p);
    }
});

//! Ignore files: arbitrary `.gitignore` text through `source::ignores::parse` (the
//! bounded reader every walked directory uses), then matched against paths taken from
//! the same input, as files and as directories, in a chain under a parent file.
#![no_main]

use std::path::Path;

use aiscout::source::ignores::{parse, Chain};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Before the first NUL: the ignore file; after it: paths to match.
    let (text, paths) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"a/b.py\nbuild\n"[..]),
    };
    let root = Path::new("/r");
    let Ok(top) = parse(root, text) else { return };
    let Ok(chain) = Chain::default().child(vec![top], false) else {
        return;
    };
    let sub = parse(&root.join("a"), text).ok();
    let chain = chain.child(sub.into_iter().collect(), false).unwrap_or_else(|c| c);
    for p in String::from_utf8_lossy(paths).lines().take(8) {
        let path = root.join("a").join(p);
        let _ = chain.ignores(&path, false);
        let _ = chain.ignores(&path, true);
    }
});

//! The rule loader: `RuleSet::add_pack` on arbitrary text (a user's `--rules` pack is
//! untrusted input). It must return `Ok` or a `RuleError`, never panic or hang.
#![no_main]

use aiscout::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut set = RuleSet::default();
    let _ = set.add_pack("fuzz.yaml", text);
});

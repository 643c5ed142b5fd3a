//! The `--cache` file reader (`aiscout::cache::fuzz_read`): a cache file is read from a
//! directory anyone may have written to, so arbitrary bytes must be refused, never
//! trusted into a panic or an allocation their length does not pay for.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = aiscout::cache::fuzz_read(data);
});

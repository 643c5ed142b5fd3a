//! The notebook reader: `code_cells` on arbitrary bytes. Every pip offset must fall on
//! a char boundary of its cell's source (the detector slices there).
#![no_main]

use aiscout::detect::code::notebook::code_cells;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cells) = code_cells(data) {
        for c in cells {
            for (_, off) in &c.pip_installs {
                assert!(
                    c.source.is_char_boundary(*off),
                    "pip offset {off} not on a char boundary"
                );
            }
        }
    }
});

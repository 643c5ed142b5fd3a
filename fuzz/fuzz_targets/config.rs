//! Every structured-config reader: the first byte picks the `ConfigFormat`, the rest is
//! the file. Offsets of facts must stay inside the file.
#![no_main]

use aiscout::detect::config::{facts, ConfigFormat};
use libfuzzer_sys::fuzz_target;

/// One variant per format that exists (see `ConfigFormat`).
const FORMATS: &[ConfigFormat] = &[
    ConfigFormat::Env,
    ConfigFormat::Yaml,
    ConfigFormat::Json,
    ConfigFormat::Toml,
    ConfigFormat::Hcl,
    ConfigFormat::Properties,
    ConfigFormat::Dockerfile,
    ConfigFormat::Jenkinsfile,
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let format = FORMATS[sel as usize % FORMATS.len()];
    if let Ok(fs) = facts(format, rest) {
        for f in fs {
            assert!(
                f.offset <= rest.len(),
                "{format:?}: fact offset out of bounds"
            );
        }
    }
});

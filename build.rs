//! Embeds every `rules/*.yaml` file into the binary, so `aiscout` runs with nothing
//! beside it and a new rule file needs no code change. The YAML is converted to JSON
//! here, once: parsing 800 KB of YAML at every start cost the pre-commit hook ~40 ms,
//! JSON a few. A pack that is not valid YAML fails the build with its file name.

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("rules/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Every built-in rule pack: (file name, the pack as JSON).\npub const BUILTIN_RULES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        // Read as `rules::set` reads a user's pack (YAML 1.2 core scalars, duplicate
        // keys refused), so a pack means the same built in or given with `--rules`.
        let mut options = serde_saphyr::Options::default();
        options.strict_booleans = true;
        options.leading_zero_numbers_as_strings = true;
        options.underscored_numbers_as_strings = true;
        let value: serde_json::Value = serde_saphyr::from_str_with_options(&text, options)
            .unwrap_or_else(|e| panic!("{}: not valid YAML: {e}", f.display()));
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let dest = Path::new(&out_dir).join(format!("{name}.json"));
        fs::write(&dest, json).expect("write a converted pack");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            dest.display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(Path::new(&out_dir).join("builtin_rules.rs"), out).expect("write builtin_rules.rs");
}

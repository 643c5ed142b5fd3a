//! Baselines: the fingerprints of the secrets accepted today, so a team can adopt
//! aiscout on a legacy repository and fail only on new keys. A baseline holds
//! fingerprints only — never a value, never a prefix — and the id of the key that made
//! them: under another key none could match, so such a baseline is refused rather than
//! silently failing every accepted finding.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Inventory;
use crate::model::FingerprintKey;

/// A baseline file.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The format version, 1.
    pub aiscout_baseline: u32,
    /// The id of the fingerprint key that made the fingerprints.
    #[serde(default = "default_key_id")]
    pub fingerprint_key_id: String,
    /// Fingerprints of accepted findings.
    pub fingerprints: BTreeSet<String>,
}

fn default_key_id() -> String {
    FingerprintKey::DEFAULT_ID.to_string()
}

/// Why a baseline cannot be used. Messages name no file: callers add it.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Not a baseline at all.
    #[error("not an aiscout baseline (create one with `aiscout baseline create`): {0}")]
    NotBaseline(serde_json::Error),
    /// A format this aiscout does not read.
    #[error("baseline version {0} is not supported")]
    Version(u32),
    /// Made with another fingerprint key.
    #[error(
        "baseline made with fingerprint key {made}, but this scan uses key {using}: its \
         fingerprints cannot match; scan with the key that made it (--fingerprint-key-file) \
         or recreate it with `aiscout baseline create`"
    )]
    Key {
        /// The id of the key that made it.
        made: String,
        /// The id of the scan's key.
        using: String,
    },
}

impl Baseline {
    /// The baseline of every secret in `inv`.
    pub fn of(inv: &Inventory) -> Baseline {
        Baseline {
            aiscout_baseline: 1,
            fingerprint_key_id: inv.scanner.fingerprint_key_id.clone(),
            fingerprints: inv
                .all_units()
                .flat_map(|u| &u.evidence)
                .filter_map(|e| e.secret.as_ref().map(|s| s.fingerprint.clone()))
                .collect(),
        }
    }

    /// The accepted fingerprints of a baseline file's `text`, for a scan under `key`.
    pub fn accepted(text: &str, key: &FingerprintKey) -> Result<BTreeSet<String>, BaselineError> {
        let b: Baseline = serde_json::from_str(text).map_err(BaselineError::NotBaseline)?;
        if b.aiscout_baseline != 1 {
            return Err(BaselineError::Version(b.aiscout_baseline));
        }
        if b.fingerprint_key_id != key.id() {
            return Err(BaselineError::Key {
                made: b.fingerprint_key_id,
                using: key.id().to_string(),
            });
        }
        Ok(b.fingerprints)
    }
}

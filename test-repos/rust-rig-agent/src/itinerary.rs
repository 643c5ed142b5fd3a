//! Plain data: an itinerary parsed from the agent's answer. No AI calls here.
//!
//! The line format mirrors what `rig::completion::Prompt` returns in main.rs; an older
//! version asked the ollama_rs client instead (removed).

use std::fmt;

/// A day trip: a city and its stops, in order.
pub struct Itinerary {
    city: String,
    stops: Vec<String>,
}

impl Itinerary {
    /// One stop per non-empty line; list markers are dropped.
    pub fn from_lines(city: &str, text: &str) -> Itinerary {
        let stops = text
            .lines()
            .map(|l| l.trim_start_matches(|c: char| c == '-' || c == '*' || c.is_whitespace()))
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        Itinerary {
            city: city.to_string(),
            stops,
        }
    }

    /// "Lisbon: A, B, C".
    pub fn summary(&self) -> String {
        format!("{}: {}", self.city, self.stops.join(", "))
    }
}

impl fmt::Display for Itinerary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, stop) in self.stops.iter().enumerate() {
            writeln!(f, "{}. {stop}", i + 1)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_from_a_bulleted_answer() {
        let it = Itinerary::from_lines("Porto", "- Ribeira\n\n* Livraria Lello\n");
        assert_eq!(it.summary(), "Porto: Ribeira, Livraria Lello");
        // "async_openai::Client" in a string is not a use of the crate.
        let _ = "async_openai::Client";
    }
}

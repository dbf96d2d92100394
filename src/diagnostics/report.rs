//! Printing diagnostics where they belong: machine formats alone on standard output,
//! people's on standard error.

use std::io::IsTerminal;

use super::Diagnostic;
use super::format::{self, Format};

/// Where and how diagnostics go: machine formats alone on standard output, people's on
/// standard error, in colour on a terminal unless NO_COLOR is set.
pub struct Reporter {
    /// The format diagnostics are printed in.
    pub format: Format,
}

impl Reporter {
    /// The reporter for `explicit` (or the format the environment calls for).
    pub fn new(explicit: Option<Format>) -> Reporter {
        let env = std::env::var("GITHUB_ACTIONS").ok();
        Reporter {
            format: Format::choose(explicit, env.as_deref()),
        }
    }

    /// Prints `diags`.
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        let _ = if self.format.is_machine() {
            format::write_all(&mut std::io::stdout().lock(), diags, self.format, false)
        } else {
            // https://no-color.org: a NO_COLOR that is present and not empty turns colour off.
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let color = std::io::stderr().is_terminal() && !no_color;
            format::write_all(&mut std::io::stderr().lock(), diags, self.format, color)
        };
    }

    /// A summary line: on standard output for people, standard error for machine formats.
    pub fn say(&self, text: &str) {
        if self.format == Format::Json {
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }
}

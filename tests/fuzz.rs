//! A time-bounded fuzz driver for the parsers that read user files (front matter, file
//! names, casebook.yaml, i18n files, XLIFF files, bodies cut for translators), on the
//! stable toolchain: it mutates a corpus of real
//! and hostile files (tests/hostile/, the demo's content and settings) with byte flips,
//! YAML and Markdown tokens, deletions, repeats (deep nesting, long lists) and splices, and
//! checks each input with [`common::fuzz::run_within`]: no panic, no hang (each input is
//! given [`PER_INPUT`]), every diagnostic located inside the file.
//!
//! It is ignored by `cargo test`; CI (.ci/run) runs it for a bounded time:
//! `CASEBOOK_FUZZ_SECONDS=45 cargo test --test fuzz -- --ignored`. A failure prints the
//! seed (`CASEBOOK_FUZZ_SEED=… ` replays the run) and writes the input to
//! target/fuzz-failures/.

mod common;

use std::time::{Duration, Instant};

use common::fuzz::{Target, run_within};

/// The longest one input may take (in a debug build) before it counts as a hang.
const PER_INPUT: Duration = Duration::from_secs(10);

/// The largest input tried, in bytes: big enough for long lists and deep nesting, small
/// enough for thousands of inputs a minute in a debug build.
const MAX_INPUT: usize = 64 * 1024;

/// Tokens that mean something to YAML, Markdown, file names or casebook.
const TOKENS: &[&str] = &[
    "---\n",
    "...\n",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b [*a, *a, *a]",
    "!!binary ",
    "!!str ",
    "!tag ",
    "!!map ",
    "? ",
    "|\n  ",
    ">-\n  ",
    "%YAML 1.2\n",
    "%TAG ! tag:x:\n",
    "\t",
    "\r\n",
    "\r",
    "\u{feff}",
    "\0",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{202e}",
    "\u{fffe}",
    "\"\\x01\"",
    "\"\\u0000\"",
    "'",
    "\"",
    "#",
    "@",
    "`",
    "\\",
    "title: ",
    "topics: ",
    "summary: ",
    "published: ",
    "coordinates: ",
    "budget: ",
    "image: ",
    "related: ",
    "adapted_by: ",
    "key_figures: ",
    "partners: ",
    "languages: ",
    "base_url: ",
    "taxonomies:\n  topics:\n    ",
    "1e999",
    "-0",
    ".nan",
    ".inf",
    "2021-02-30",
    "99999999999999999999",
    "~",
    "null",
    "<script>",
    "[^1]",
    "[^1]: note\n",
    "> ",
    "    ",
    "\n",
    "```\n",
    "| a | b |\n|---|---|\n",
    "![](x)",
    "[a](@/practices/x.md)",
    "{#id}",
    "é",
    "🎉",
    ".es.md",
    ".md",
    "..",
    "/",
    "<target>",
    "</target>",
    "<pc id=\"1\">",
    "</pc>",
    "<ph id=\"2\"/>",
    "<sc id=\"1\"/>",
    "<ec startRef=\"1\"/>",
    "&amp;",
    "&#x0;",
    "<![CDATA[",
];

/// A small, fast random generator (xorshift64*), seeded for replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let repo = common::repo();
    let mut files = vec![
        repo.join("casebook.yaml"),
        repo.join("themes/default/i18n/es.yaml"),
    ];
    for dir in [
        "tests/hostile",
        "tests/hostile/case-collision",
        "content/practices",
        "content/pages",
    ] {
        let mut found: Vec<_> = std::fs::read_dir(repo.join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && !p.ends_with("README.md"))
            .collect();
        found.sort();
        files.extend(found);
    }
    let mut corpus: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    corpus.push(common::fuzz::xliff_sample().into_bytes());
    corpus
}

/// One mutation of `input`.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let at = rng.below(input.len() + 1);
    match rng.below(7) {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 | 2 => {
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            input.splice(at..at, token.iter().copied());
        }
        3 if !input.is_empty() => {
            let end = (at + rng.below(64)).min(input.len());
            input.drain(at.min(end)..end);
        }
        4 => {
            // Repeat a short run many times: long lists, deep nesting, long lines.
            let end = (at + 1 + rng.below(8)).min(input.len());
            let run = input[at.min(end)..end].to_vec();
            let times = 1 + rng.below(2_000);
            let repeated: Vec<u8> = run
                .iter()
                .copied()
                .cycle()
                .take(run.len() * times)
                .collect();
            input.splice(end..end, repeated);
        }
        5 => {
            let other = &corpus[rng.below(corpus.len())];
            let from = rng.below(other.len());
            let end = (from + rng.below(512)).min(other.len());
            input.splice(at..at, other[from..end].iter().copied());
        }
        _ => {
            let depth = 1 + rng.below(5_000);
            let opener = ["[", "{a: ", "- ", "> ", "* ", "  "][rng.below(6)];
            input.splice(at..at, opener.repeat(depth).into_bytes());
        }
    }
    input.truncate(MAX_INPUT);
}

#[test]
#[ignore = "a time-bounded fuzz run: .ci/run runs it with CASEBOOK_FUZZ_SECONDS"]
fn parsers_survive_mutated_inputs() {
    let seconds: u64 = std::env::var("CASEBOOK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let seed: u64 = std::env::var("CASEBOOK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    let corpus = corpus();
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tried = 0usize;
    // The input being tried is also in a file: a stack overflow aborts the process before
    // anything can be said, and leaves the input there.
    let failures = common::repo().join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&failures);
    let trying = failures.join(format!("{seed}-trying.txt"));
    println!(
        "fuzz: seed {seed}, for {seconds} s; the input being tried is in {}",
        trying.display()
    );
    while Instant::now() < deadline {
        let mut input = corpus[rng.below(corpus.len())].clone();
        for _ in 0..1 + rng.below(6) {
            mutate(&mut rng, &mut input, &corpus);
        }
        let text = String::from_utf8_lossy(&input).into_owned();
        let target = Target::ALL[tried % Target::ALL.len()];
        let _ = std::fs::write(&trying, format!("{target:?}\n{text}"));
        if let Err(why) = run_within(target, text.clone(), PER_INPUT) {
            let file = failures.join(format!("{seed}-{tried}.txt"));
            let _ = std::fs::write(&file, &text);
            panic!(
                "{target:?} failed on input {tried} ({} bytes, saved to {}): {why}\nreplay with CASEBOOK_FUZZ_SEED={seed}",
                text.len(),
                file.display()
            );
        }
        tried += 1;
    }
    let _ = std::fs::remove_file(&trying);
    println!("fuzz: {tried} inputs in {seconds} s, seed {seed}, no failure");
    assert!(tried > 0);
}

//! The `casebook` command line: parses arguments, calls the library, maps results to exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use casebook::build::{BuildOptions, build};
use casebook::diagnostics::Diagnostic;

#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "Build multilingual, filterable catalogues of good practices"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (all or nothing).
    Build {
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: output/ in the site root].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override `base_url` from casebook.yaml, e.g. for preview deploys.
        #[arg(long)]
        base_url: Option<String>,
        /// Include practices and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Print the time spent in each phase.
        #[arg(long)]
        timings: bool,
    },
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diags {
        eprint!("{}", d.render_human(color));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
            timings,
        } => {
            let opts = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                ..BuildOptions::new(".")
            };
            match build(&opts) {
                Ok(summary) => {
                    if !quiet {
                        print_diagnostics(&summary.warnings);
                        let warnings = match summary.warnings.len() {
                            0 => String::new(),
                            1 => ", 1 warning".into(),
                            n => format!(", {n} warnings"),
                        };
                        println!(
                            "Built {} pages ({} practices) in {} languages in {} ms{warnings} → {}",
                            summary.pages,
                            summary.practices,
                            summary.languages,
                            summary.elapsed.as_millis(),
                            summary.output.display()
                        );
                    }
                    if timings {
                        let t = &summary.timings;
                        println!(
                            "timings: load {:.1} ms, parse {:.1} ms, model {:.1} ms, plan {:.1} ms, index {:.1} ms, render+write {:.1} ms, commit {:.1} ms",
                            t.load.as_secs_f64() * 1e3,
                            t.parse.as_secs_f64() * 1e3,
                            t.model.as_secs_f64() * 1e3,
                            t.plan.as_secs_f64() * 1e3,
                            t.index.as_secs_f64() * 1e3,
                            t.render.as_secs_f64() * 1e3,
                            t.commit.as_secs_f64() * 1e3
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    print_diagnostics(&failure.diagnostics);
                    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "Build failed: {errors} error{}; the output folder was not changed.",
                        if errors == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}

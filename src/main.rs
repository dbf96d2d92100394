//! The `casebook` command line: parses arguments, calls the library, maps results to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use casebook::commands::args::{Cli, Command, New, Translations};
use casebook::commands::{cms, import, scaffold, schema, serve, translations};
use casebook::diagnostics::format::Format;
use casebook::diagnostics::report::Reporter;
use casebook::diagnostics::{Code, Diagnostic};
use casebook::pipeline::plural;
use casebook::{BuildOptions, build};
use casebook::{CheckOptions, check};

/// mimalloc: many small strings and maps per page, from both threads (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fail_with(d: Diagnostic) -> ExitCode {
    Reporter::new(Some(Format::Human)).diagnostics(&[d]);
    ExitCode::FAILURE
}

/// One line per item.
fn lines<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(|i| format!("{i}\n")).collect()
}

/// Prints `diags` for people, then `closing`, and fails.
fn fail_all(diags: &[Diagnostic], closing: &str) -> ExitCode {
    Reporter::new(Some(Format::Human)).diagnostics(diags);
    eprintln!("{closing}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    casebook::memory::without_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            cache_dir,
            base_url,
            drafts,
            quiet,
            timings,
            format,
        } => {
            let reporter = Reporter::new(format);
            let opts = BuildOptions {
                output,
                cache_dir,
                base_url,
                drafts,
                ..BuildOptions::new(root)
            };
            match build(&opts) {
                Ok(summary) => {
                    if !quiet {
                        reporter.diagnostics(&summary.warnings);
                        reporter.say(&summary.to_string());
                    }
                    if timings {
                        reporter.say(&summary.timings.to_string());
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    reporter.diagnostics(&failure.diagnostics);
                    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
                    let text = format!(
                        "Build failed: {}; the output folder was not changed.",
                        plural(errors, "error")
                    );
                    eprintln!("{text}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            root,
            base_url,
            cache_dir,
            drafts,
            deny_warnings,
            allow,
            format,
        } => {
            let reporter = Reporter::new(format);
            let mut opts = CheckOptions::new(root);
            opts.build.base_url = base_url;
            opts.build.cache_dir = cache_dir;
            opts.build.drafts = drafts;
            opts.allow = allow;
            let report = check(&opts);
            reporter.diagnostics(&report.diagnostics);
            if reporter.format == Format::Human
                && let Some(coverage) = &report.coverage
                && !opts.allow.contains(&Code::Untranslated)
                && !coverage.complete()
            {
                print!("{}", coverage.table());
            }
            let verdict = if report.passed(deny_warnings) {
                "passed"
            } else {
                "failed"
            };
            let rendered = match report.pages {
                0 => String::new(),
                n => format!("; {} rendered in memory", plural(n, "page")),
            };
            reporter.say(&format!(
                "Check {verdict}: {}, {}{rendered}; nothing written ({} ms).",
                plural(report.errors(), "error"),
                plural(report.warnings(), "warning"),
                report.elapsed.as_millis()
            ));
            let _ = std::io::stdout().flush();
            if report.passed(deny_warnings) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            drafts,
            cache_dir,
        } => {
            let opts = serve::ServeOptions {
                root,
                bind,
                port,
                open,
                drafts,
                cache_dir,
            };
            casebook::memory::return_freed_memory_at_once();
            match serve::run(&opts, &mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Clean { root, cache_dir } => {
            match casebook::commands::build::clean(&root, cache_dir.as_deref()) {
                Ok((dir, true)) => {
                    println!("Removed {}.", dir.display());
                    ExitCode::SUCCESS
                }
                Ok((dir, false)) => {
                    println!("Nothing to remove: {} does not exist.", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: cannot remove the cache folder: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New {
            what: New::Practice { slug, lang, root },
        } => match scaffold::new_practice(&root, &slug, lang.as_deref(), scaffold::today()) {
            Ok(written) => {
                println!("Wrote {}", written.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail_with(d),
        },
        Command::Init { dir } => match scaffold::init(&dir, scaffold::today()) {
            Ok(()) => {
                println!(
                    "Created a new site in {}. Next: cd {} && casebook check && casebook build",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(d) => fail_with(d),
        },
        Command::Translations {
            what,
            root,
            drafts,
            format,
        } => {
            let written = match what {
                Some(Translations::Mark { files, root }) => {
                    translations::mark(&root, &files).map(|m| lines(&m))
                }
                Some(Translations::Export {
                    lang,
                    slugs,
                    output,
                    root,
                }) => {
                    let out = output.unwrap_or_else(|| translations::export::default_output(&root));
                    translations::export(&BuildOptions::new(&root), &lang, &slugs, &out).map(|f| {
                        format!(
                            "{}{} to translate into {lang}.\n",
                            lines(&f),
                            plural(f.len(), "file")
                        )
                    })
                }
                Some(Translations::Import { files, root }) => {
                    translations::import(&root, &files, &scaffold::today()).map(|i| lines(&i))
                }
                None => {
                    let opts = BuildOptions {
                        drafts,
                        ..BuildOptions::new(root)
                    };
                    return match translations::status(&opts) {
                        Ok(status) if format == Format::Json => {
                            println!("{}", status.json());
                            ExitCode::SUCCESS
                        }
                        Ok(status) => {
                            print!("{}", status.text());
                            ExitCode::SUCCESS
                        }
                        Err(diags) => fail_all(&diags, "The site does not load."),
                    };
                }
            };
            match written {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(diags) => fail_all(&diags, "Nothing was written."),
            }
        }
        Command::Import {
            file,
            root,
            map,
            update,
            skip_invalid,
            dry_run,
            format,
        } => {
            let reporter = Reporter::new(format);
            let opts = import::ImportOptions {
                root,
                file,
                map,
                update,
                skip_invalid,
                dry_run,
            };
            match import::import(&opts) {
                Ok(report) => {
                    reporter.diagnostics(&report.skipped);
                    reporter.say(report.to_string().trim_end());
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    reporter.diagnostics(&diags);
                    // Past 50 problems, one diagnostic counts the others (`hidden`).
                    let errors: usize = diags.iter().map(|d| d.hidden.max(1)).sum();
                    eprintln!(
                        "Import failed: {}; nothing was written.",
                        plural(errors, "error")
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Cms {
            root,
            self_host,
            rename_default_files,
        } => {
            let opts = cms::CmsOptions {
                root,
                self_host,
                rename_default_files,
            };
            match cms::write(&opts) {
                Ok(done) => {
                    print!("{}", lines(&done));
                    ExitCode::SUCCESS
                }
                Err(diags) => fail_all(&diags, "The admin was not written."),
            }
        }
        Command::Schema { root } => match schema::for_site(&root) {
            Ok(schema) => {
                println!("{schema}");
                ExitCode::SUCCESS
            }
            Err(diags) => {
                Reporter::new(Some(Format::Human)).diagnostics(&diags);
                ExitCode::FAILURE
            }
        },
    }
}

//! The `casebook` command line: parses arguments, calls the library, maps results to exit codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use casebook::commands::{cms, import, scaffold, schema, serve, translations};
use casebook::diagnostics::format::{self, Format};
use casebook::diagnostics::{Code, Diagnostic};
use casebook::pipeline::plural;
use casebook::{BuildOptions, build};
use casebook::{CheckOptions, check};

/// mimalloc: many small strings and maps per page, from both threads (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| "use human, json or github".into())
}

fn parse_report_format(s: &str) -> Result<Format, String> {
    match Format::parse(s) {
        Some(f @ (Format::Human | Format::Json)) => Ok(f),
        _ => Err("use human or json".into()),
    }
}

fn parse_code(s: &str) -> Result<Code, String> {
    match Code::parse(s) {
        Some(c) if !c.severity().eq(&casebook::diagnostics::Severity::Error) => Ok(c),
        Some(c) => Err(format!(
            "{} is an error; only warnings can be allowed",
            c.id()
        )),
        None => Err("not a diagnostic code; see docs/diagnostics.md".into()),
    }
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
        /// casebook's cache folder (parsed files, what the last build wrote) [default:
        /// .casebook/ in the site root]; deleting it is always safe.
        #[arg(long)]
        cache_dir: Option<PathBuf>,
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
        /// How to print problems: human, json or github [default: github when
        /// GITHUB_ACTIONS=true, else human].
        #[arg(long, value_parser = parse_format)]
        format: Option<Format>,
    },
    /// Check the site without writing anything: everything a build checks, plus links,
    /// anchors, images, translation coverage, UI strings and unused terms.
    Check {
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Override `base_url` from casebook.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// casebook's cache folder (parsed files, what the last build wrote) [default:
        /// .casebook/ in the site root]; deleting it is always safe.
        #[arg(long)]
        cache_dir: Option<PathBuf>,
        /// Check as `build --drafts` would: drafts are published and links to them work.
        #[arg(long)]
        drafts: bool,
        /// Fail (exit status 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Do not report this warning, by code or name (e.g. `--allow untranslated`);
        /// repeatable.
        #[arg(long, value_parser = parse_code)]
        allow: Vec<Code>,
        /// How to print problems: human, json or github [default: github when
        /// GITHUB_ACTIONS=true, else human].
        #[arg(long, value_parser = parse_format)]
        format: Option<Format>,
    },
    /// Build the site, serve it, and rebuild and reload the open pages on every change.
    Serve {
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but loopback exposes the site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port; when it is taken, the next free one is used.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Include practices and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// casebook's cache folder (parsed files, what the last build wrote) [default:
        /// .casebook/ in the site root]; deleting it is always safe.
        #[arg(long)]
        cache_dir: Option<PathBuf>,
    },
    /// Remove casebook's cache folder (and nothing else): the next build is a full one.
    Clean {
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// casebook's cache folder (parsed files, what the last build wrote) [default:
        /// .casebook/ in the site root]; deleting it is always safe.
        #[arg(long)]
        cache_dir: Option<PathBuf>,
    },
    /// Start a new file from a template.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Create a new, minimal site in DIR that builds with the built-in theme.
    Init {
        /// The folder to create (it may exist if it is empty).
        dir: PathBuf,
    },
    /// Print a JSON Schema of practice front matter, with this site's topics and
    /// programmes, for editors (yaml-language-server).
    Schema {
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a web editing interface (Decap CMS) into static/admin/, generated from
    /// casebook.yaml; the settings you add to its config.yml are kept (docs/cms.md).
    Cms {
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Serve the CMS from the site: copy this decap-cms.js (from npm's decap-cms) into
        /// static/admin/.
        #[arg(long, value_name = "DECAP_CMS_JS")]
        self_host: Option<PathBuf>,
        /// Rename content files named without a language (slug.md) to slug.LANG.md, as
        /// the CMS names them.
        #[arg(long)]
        rename_default_files: bool,
    },
    /// Whether every translation is up to date with its source; record that one is;
    /// exchange XLIFF files with translators.
    #[command(args_conflicts_with_subcommands = true)]
    Translations {
        #[command(subcommand)]
        what: Option<Translations>,
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Count drafts as published.
        #[arg(long)]
        drafts: bool,
        /// How to print the status: human or json.
        #[arg(long, value_parser = parse_report_format, default_value = "human")]
        format: Format,
    },
    /// Write practice files from a CSV or from casebook's practices.json; nothing is written
    /// unless every row is valid (see docs/import.md).
    Import {
        /// A CSV (comma, semicolon or tab; UTF-8) or a practices.json.
        file: PathBuf,
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Read CSV column COLUMN as FIELD (`--map "Project name=title"`); `COLUMN=` leaves
        /// it out. Repeatable.
        #[arg(long, value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Replace existing files: the fields the import has, and the body when it has one.
        #[arg(long)]
        update: bool,
        /// Write the valid practices and report the others.
        #[arg(long)]
        skip_invalid: bool,
        /// Check and print the files that would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// How to print problems: human, json or github.
        #[arg(long, value_parser = parse_format)]
        format: Option<Format>,
    },
}

#[derive(Subcommand)]
enum Translations {
    /// Record in each translation that it is up to date with its source as it is now.
    Mark {
        /// Translation files, e.g. content/practices/co-city.es.md.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write an XLIFF 2.1 file per practice and page to translate into LANG, with the
    /// existing translations as targets to start from.
    Export {
        /// The language to translate into.
        lang: String,
        /// Only these practices and pages (slugs) [default: all].
        slugs: Vec<String>,
        /// Where to write the files [default: translations/ in the site root].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Check translated XLIFF files and write their translations (SLUG.LANG.md); nothing
    /// is written unless every file is valid.
    Import {
        /// XLIFF files, as translators return them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum New {
    /// Write content/practices/SLUG.md (or SLUG.LANG.md) with every field, commented.
    Practice {
        /// The practice's slug: lowercase letters, digits and hyphens.
        slug: String,
        /// Write this language's version; copies the per-language fields of an existing
        /// version for translation.
        #[arg(long)]
        lang: Option<String>,
        /// The site root, holding casebook.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Where and how diagnostics go: machine formats alone on standard output, people's on
/// standard error, in colour on a terminal unless NO_COLOR is set.
struct Reporter {
    format: Format,
}

impl Reporter {
    fn new(explicit: Option<Format>) -> Reporter {
        let env = std::env::var("GITHUB_ACTIONS").ok();
        Reporter {
            format: Format::choose(explicit, env.as_deref()),
        }
    }

    fn diagnostics(&self, diags: &[Diagnostic]) {
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
    fn say(&self, text: &str) {
        if self.format == Format::Json {
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }
}

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

//! The command line's arguments, as clap reads them: every subcommand and option, with the
//! help text `casebook --help` shows. src/main.rs runs what they ask for.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostics::Code;
use crate::diagnostics::format::Format;

/// The command line.
#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "Build multilingual, filterable catalogues of good practices"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
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
        Some(c) if !c.severity().eq(&crate::diagnostics::Severity::Error) => Ok(c),
        Some(c) => Err(format!(
            "{} is an error; only warnings can be allowed",
            c.id()
        )),
        None => Err("not a diagnostic code; see docs/diagnostics.md".into()),
    }
}

#[derive(Subcommand)]
pub enum Command {
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
pub enum Translations {
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
pub enum New {
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

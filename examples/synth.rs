//! Writes a synthetic casebook site of N practices, each in English, Spanish and Italian,
//! for benchmarks: `cargo run --release --example synth -- 5000 /tmp/synth-5k`.
//!
//! The corpus is deterministic (a fixed-seed SplitMix64 generator), so every run and every
//! machine benchmarks the same input. The site uses a copy of this repository's default
//! theme.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const LANGS: [&str; 3] = ["en", "es", "it"];
const TOPICS: [&str; 20] = [
    "poverty",
    "housing",
    "jobs-and-skills",
    "social-cohesion",
    "participative-governance",
    "local-economy",
    "urban-commons",
    "digital-transition",
    "energy",
    "mobility",
    "health",
    "education",
    "culture",
    "migration",
    "ageing",
    "youth",
    "food",
    "climate-adaptation",
    "circular-economy",
    "public-space",
];
const PROGRAMMES: [&str; 6] = [
    "uia",
    "urbact",
    "interreg-europe",
    "horizon-europe",
    "esf-plus",
    "life",
];
const COUNTRIES: [(&str, f64, f64); 12] = [
    ("ES", 40.4, -3.7),
    ("IT", 41.9, 12.5),
    ("FR", 48.9, 2.35),
    ("DE", 52.5, 13.4),
    ("PT", 38.7, -9.1),
    ("NL", 52.4, 4.9),
    ("BE", 50.8, 4.35),
    ("PL", 52.2, 21.0),
    ("GR", 37.98, 23.7),
    ("SE", 59.3, 18.1),
    ("FI", 60.2, 24.9),
    ("AT", 48.2, 16.4),
];
const LEVELS: [&str; 3] = ["local", "regional", "national"];
const CITIES: [&str; 16] = [
    "Arenvale",
    "Bricksford",
    "Castellmar",
    "Dunmore",
    "Eastwick",
    "Fontana",
    "Greystone",
    "Harbourg",
    "Isola Nova",
    "Jardines",
    "Kestrel",
    "Lindenau",
    "Montalto",
    "Northbridge",
    "Oakhaven",
    "Portolano",
];
const WORDS: [&[&str]; 3] = [
    &[
        "city",
        "residents",
        "service",
        "together",
        "neighbourhood",
        "pilot",
        "support",
        "public",
        "community",
        "design",
        "budget",
        "network",
        "training",
        "housing",
        "results",
        "partners",
        "council",
        "evaluation",
        "open",
        "shared",
    ],
    &[
        "ciudad",
        "vecinos",
        "servicio",
        "juntos",
        "barrio",
        "piloto",
        "apoyo",
        "público",
        "comunidad",
        "diseño",
        "presupuesto",
        "red",
        "formación",
        "vivienda",
        "resultados",
        "socios",
        "ayuntamiento",
        "evaluación",
        "abierto",
        "compartido",
    ],
    &[
        "città",
        "residenti",
        "servizio",
        "insieme",
        "quartiere",
        "pilota",
        "sostegno",
        "pubblico",
        "comunità",
        "progettazione",
        "bilancio",
        "rete",
        "formazione",
        "abitazione",
        "risultati",
        "partner",
        "comune",
        "valutazione",
        "aperto",
        "condiviso",
    ],
];
const HEADINGS: [[&str; 4]; 3] = [
    [
        "The challenge",
        "The solution",
        "How it was co-produced",
        "Results",
    ],
    ["El reto", "La solución", "Cómo se coprodujo", "Resultados"],
    [
        "La sfida",
        "La soluzione",
        "Come è stata coprodotta",
        "Risultati",
    ],
];

fn sentence(rng: &mut Rng, lang: usize, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = *rng.pick(WORDS[lang]);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn practice(rng: &mut Rng, i: usize, n: usize) -> Vec<(String, String)> {
    let slug = format!("practice-{i:05}");
    let (country, lat, lon) = *rng.pick(&COUNTRIES);
    let city = format!("{} {}", rng.pick(&CITIES), i % 97);
    let mut topics: Vec<&str> = (0..1 + rng.below(3)).map(|_| *rng.pick(&TOPICS)).collect();
    topics.sort_unstable();
    topics.dedup();
    let programme = *rng.pick(&PROGRAMMES);
    let level = *rng.pick(&LEVELS);
    let start = 2010 + rng.below(14);
    let end = start + 1 + rng.below(4);
    let published = format!(
        "{}-{:02}-{:02}",
        2018 + rng.below(8),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let related = format!("practice-{:05}", (i + 1 + rng.below(n.max(2) - 1)) % n);
    let total = 100_000 + rng.below(5_000_000);
    let code_block = i.is_multiple_of(50);
    let mut files = Vec::new();
    for (li, lang) in LANGS.iter().enumerate() {
        let mut fm = String::new();
        let _ = writeln!(fm, "---");
        let _ = writeln!(
            fm,
            "title: \"{} {}\"",
            sentence(rng, li, 3).trim_end_matches('.'),
            i
        );
        let _ = writeln!(fm, "subtitle: \"{}\"", sentence(rng, li, 8));
        let _ = writeln!(fm, "city: \"{city}\"");
        if li == 0 {
            let _ = writeln!(fm, "region: Region {}", i % 40);
            let _ = writeln!(fm, "country: {country}");
            let _ = writeln!(
                fm,
                "coordinates: [{:.3}, {:.3}]",
                lat + (rng.below(200) as f64 - 100.0) / 100.0,
                lon + (rng.below(200) as f64 - 100.0) / 100.0
            );
            let _ = writeln!(fm, "programme: {programme}");
            let _ = writeln!(fm, "topics: [{}]", topics.join(", "));
            let _ = writeln!(fm, "level: {level}");
            let _ = writeln!(fm, "start: {start}");
            let _ = writeln!(fm, "end: {end}-06");
            let _ = writeln!(
                fm,
                "budget: {{ total: {total}, eu: {}, currency: EUR }}",
                total * 8 / 10
            );
            if n > 1 {
                let _ = writeln!(fm, "related: [{related}]");
            }
        }
        let _ = writeln!(
            fm,
            "partners: [\"{}\", \"{}\"]",
            sentence(rng, li, 2).trim_end_matches('.'),
            sentence(rng, li, 3).trim_end_matches('.')
        );
        let _ = writeln!(
            fm,
            "owner: {{ organisation: \"{city} council\", url: \"https://example.org/{slug}\" }}"
        );
        let _ = writeln!(fm, "key_figures:");
        for _ in 0..3 {
            let _ = writeln!(
                fm,
                "  - {{ value: \"{}\", label: \"{}\" }}",
                rng.below(5000),
                sentence(rng, li, 3).trim_end_matches('.')
            );
        }
        let _ = writeln!(fm, "summary: \"{}\"", sentence(rng, li, 25));
        let _ = writeln!(fm, "published: {published}");
        let _ = writeln!(fm, "---");
        let mut body = String::new();
        for h in HEADINGS[li] {
            let _ = writeln!(body, "\n## {h}\n");
            for _ in 0..2 {
                let sentences: Vec<String> = (0..5)
                    .map(|_| {
                        let words = 10 + rng.below(8);
                        sentence(rng, li, words)
                    })
                    .collect();
                let _ = writeln!(body, "{}\n", sentences.join(" "));
            }
            let _ = writeln!(
                body,
                "- {}\n- **{}**\n- {}\n",
                sentence(rng, li, 6),
                sentence(rng, li, 4),
                sentence(rng, li, 7)
            );
        }
        if code_block {
            let _ = writeln!(
                body,
                "```yaml\ntitle: {slug}\ntopics: [{}]\n```\n",
                topics.join(", ")
            );
        }
        let name = if li == 0 {
            format!("{slug}.md")
        } else {
            format!("{slug}.{lang}.md")
        };
        files.push((name, fm + &body));
    }
    files
}

fn config() -> String {
    let mut c = String::from(
        "base_url: https://synth.example.org/\ndefault_language: en\nlanguages: [en, es, it]\ntheme: default\npaginate: 24\n\
         title: { en: Synthetic catalogue, es: Catálogo sintético, it: Catalogo sintetico }\n\
         description: { en: A synthetic catalogue for benchmarks., es: Un catálogo sintético para pruebas de rendimiento., it: Un catalogo sintetico per i benchmark. }\n\
         taxonomies:\n  topics:\n",
    );
    for t in TOPICS {
        let _ = writeln!(
            c,
            "    {t}: {{ en: \"{t} (en)\", es: \"{t} (es)\", it: \"{t} (it)\" }}"
        );
    }
    c.push_str("  programmes:\n");
    for p in PROGRAMMES {
        let _ = writeln!(
            c,
            "    {p}: {{ en: \"{p} (en)\", es: \"{p} (es)\", it: \"{p} (it)\" }}"
        );
    }
    c
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Writes a synthetic site of `n` practices × 3 languages into `dir` (which must not hold a
/// site yet). Also used by the catalogue benchmark (benches/catalogue.rs).
pub fn write_site(n: usize, dir: &Path) -> std::io::Result<()> {
    let practices = dir.join("content/practices");
    let pages = dir.join("content/pages");
    std::fs::create_dir_all(&practices)?;
    std::fs::create_dir_all(&pages)?;
    std::fs::write(dir.join("casebook.yaml"), config())?;
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &dir.join("themes/default"),
    )?;
    for (lang, title) in [("en", "About"), ("es", "Acerca de"), ("it", "Informazioni")] {
        let name = if lang == "en" {
            "about.md".to_string()
        } else {
            format!("about.{lang}.md")
        };
        std::fs::write(
            pages.join(name),
            format!("---\ntitle: {title}\nmenu: 1\n---\nA synthetic catalogue.\n"),
        )?;
    }
    let mut rng = Rng(0x00C0_FFEE);
    for i in 0..n {
        for (name, text) in practice(&mut rng, i, n) {
            std::fs::write(practices.join(name), text)?;
        }
    }
    Ok(())
}

/// Organisation types of the declared `organisation_type` field ([`add_declared_fields`]).
const ORGANISATION_TYPES: [&str; 6] = [
    "municipality",
    "region",
    "agency",
    "ngo",
    "university",
    "company",
];

/// Makes the site in `dir` (written by [`write_site`]) a network's own template: two
/// declared fields, both facets (a vocabulary of organisation types and a number of
/// participants in ranges), given by every practice. A separate generator, so the rest of
/// the corpus stays the same.
pub fn add_declared_fields(dir: &Path) -> std::io::Result<()> {
    let mut config = std::fs::read_to_string(dir.join("casebook.yaml"))?;
    config.push_str("  organisation-types:\n");
    for t in ORGANISATION_TYPES {
        let _ = writeln!(
            config,
            "    {t}: {{ en: \"{t} (en)\", es: \"{t} (es)\", it: \"{t} (it)\" }}"
        );
    }
    config.push_str(
        "fields:\n  organisation_type:\n    type: term\n    vocabulary: organisation-types\n    label: { en: Type of organisation, es: Tipo de organización, it: Tipo di organizzazione }\n\
         \x20 participants:\n    type: number\n    label: { en: Participants, es: Participantes, it: Partecipanti }\n\
         facets: [topics, countries, programmes, levels, period, organisation_type, { field: participants, buckets: [0, 100, 1000, 10000] }]\n",
    );
    std::fs::write(dir.join("casebook.yaml"), config)?;
    let mut rng = Rng(0x00F1_E1D5);
    let practices = dir.join("content/practices");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&practices)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    names.sort();
    for path in names {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // The default language's file holds the shared fields.
        if name.matches('.').count() != 1 {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let fields = format!(
            "organisation_type: {}\nparticipants: {}\n",
            rng.pick(&ORGANISATION_TYPES),
            10 + rng.below(20_000)
        );
        std::fs::write(&path, text.replacen("---\n", &format!("---\n{fields}"), 1))?;
    }
    Ok(())
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(dir)) = (
        args.next().and_then(|n| n.parse::<usize>().ok()),
        args.next(),
    ) else {
        eprintln!(
            "usage: synth N DIR [--fields]   (writes N practices × 3 languages into DIR; with --fields, two declared fields that are facets)"
        );
        std::process::exit(2);
    };
    let with_fields = args.next().as_deref() == Some("--fields");
    let dir = PathBuf::from(dir);
    if dir.join("content").exists() {
        eprintln!(
            "{} already holds a site; choose a new folder",
            dir.display()
        );
        std::process::exit(2);
    }
    let written = write_site(n, &dir).and_then(|()| {
        if with_fields {
            add_declared_fields(&dir)
        } else {
            Ok(())
        }
    });
    if let Err(e) = written {
        eprintln!("cannot write {}: {e}", dir.display());
        std::process::exit(1);
    }
    println!("wrote {n} practices × 3 languages to {}", dir.display());
}

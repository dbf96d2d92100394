//! `casebook import FILE`: practice files from a CSV (long and wide forms, any delimiter,
//! with or without a byte-order mark, `--map`) or from casebook's own practices.json; every
//! problem at the file's row and column; nothing written unless all is valid.

mod common;

#[path = "import/open_data.rs"]
mod open_data;

use common::{CONFIG, Site, snapshot};

fn practices(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot(&site.root().join("content/practices"))
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const LONG: &str = "\
slug,lang,title,city,country,topics,programme,start,budget_total,budget_eu,latitude,longitude,summary,published,body
co-city,en,CO-CITY,Turin,IT,urban-commons;poverty,uia,2017-03,5100000,4080000,45.07,7.69,Pacts of collaboration.,2024-01-15,\"## The challenge

Neglected spaces, in Turin.\"
co-city,es,CO-CITY,Turín,,,,,,,,,Pactos de colaboración.,2024-02-01,Cuerpo.
housing-first,en,\"Housing First: a home\",Helsinki,FI,housing,,2008,,,,,\"A home first, then support.\",2024-03-01,
";

#[test]
fn a_long_csv_writes_one_file_per_row_with_shared_fields_once() {
    let site = Site::new();
    site.write("import.csv", LONG);
    let (code, stdout, stderr) = site.cli(&["import", "import.csv"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Imported 2 practices from import.csv: 3 files."),
        "{stdout}"
    );
    let en = read(&site, "content/practices/co-city.md");
    assert_eq!(
        en,
        "---\ntitle: CO-CITY\ncity: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\nprogramme: uia\n\
         topics: [urban-commons, poverty]\nstart: 2017-03\nbudget:\n  total: 5100000\n  eu: 4080000\n\
         summary: Pacts of collaboration.\npublished: 2024-01-15\n---\n## The challenge\n\nNeglected spaces, in Turin.\n"
    );
    let es = read(&site, "content/practices/co-city.es.md");
    assert!(
        !es.contains("country"),
        "shared fields are given once:\n{es}"
    );
    assert!(
        es.contains("city: Turín\n") && es.ends_with("---\nCuerpo.\n"),
        "{es}"
    );
    let hf = read(&site, "content/practices/housing-first.md");
    assert!(hf.contains("title: \"Housing First: a home\"\n"), "{hf}");
    assert!(hf.contains("start: 2008\n"), "{hf}");
    assert!(hf.contains("# No body was imported"), "{hf}");
    assert!(stdout.contains("1 file has no body"), "{stdout}");
    site.build_ok();
    assert!(site.exists("es/practices/co-city/index.html"));
    assert!(site.exists("en/practices/housing-first/index.html"));
}

#[test]
fn a_wide_csv_gives_translations_in_suffixed_columns_and_slugs_come_from_titles() {
    let site = Site::new();
    site.write(
        "wide.csv",
        "title,title_es,city,city_es,country,topics,summary,summary_es,published,published_es,body,body_es\n\
         Urban Commons Lab,Laboratorio de bienes comunes,Turin,Turín,IT,\"urban-commons, poverty\",A lab.,Un laboratorio.,2024-01-15,2024-02-01,Body.,Cuerpo.\n\
         Only English,,Rome,,IT,poverty,Alone.,,2024-01-15,,,\n",
    );
    let (code, stdout, stderr) = site.cli(&["import", "wide.csv"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let es = read(&site, "content/practices/urban-commons-lab.es.md");
    assert!(
        es.starts_with("---\ntitle: Laboratorio de bienes comunes\ncity: Turín\n"),
        "{es}"
    );
    assert!(es.ends_with("---\nCuerpo.\n"), "{es}");
    assert!(
        read(&site, "content/practices/urban-commons-lab.md")
            .contains("topics: [urban-commons, poverty]\n")
    );
    assert!(
        site.root()
            .join("content/practices/only-english.md")
            .exists()
    );
    assert!(
        !site
            .root()
            .join("content/practices/only-english.es.md")
            .exists()
    );
    site.build_ok();
}

#[test]
fn semicolons_and_a_byte_order_mark_are_read_as_spreadsheets_write_them() {
    let site = Site::new();
    let csv = "\u{feff}slug;title;city;country;topics;summary;published;budget_total\r\n\
               co-city;CO-CITY;Turin;IT;urban-commons,poverty;Pacts, signed by 50 groups.;2024-01-15;5100000\r\n";
    site.write("excel.csv", csv);
    let (code, stdout, stderr) = site.cli(&["import", "excel.csv"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let en = read(&site, "content/practices/co-city.md");
    assert!(en.starts_with("---\ntitle: CO-CITY\n"), "{en}");
    assert!(
        en.contains("summary: Pacts, signed by 50 groups.\n"),
        "{en}"
    );
    assert!(en.contains("topics: [urban-commons, poverty]\n"), "{en}");
    site.build_ok();
}

#[test]
fn map_renames_columns_and_leaves_others_out() {
    let site = Site::new();
    site.write(
        "other.csv",
        "Project name,Town,Nation,Themes,Abstract,Date,Notes\n\
         CO-CITY,Turin,IT,poverty,Pacts.,2024-01-15,internal note\n",
    );
    let (code, _, stderr) = site.cli(&["import", "other.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("column A (`Project name`) is not a field casebook knows"),
        "{stderr}"
    );
    let (code, stdout, stderr) = site.cli(&[
        "import",
        "other.csv",
        "--map",
        "Project name=title",
        "--map",
        "town=city",
        "--map",
        "Nation=country",
        "--map",
        "Themes=topics",
        "--map",
        "Abstract=summary",
        "--map",
        "Date=published",
        "--map",
        "Notes=",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let en = read(&site, "content/practices/co-city.md");
    assert!(!en.contains("internal note"), "{en}");
    assert!(
        en.contains("city: Turin\n") && en.contains("summary: Pacts.\n"),
        "{en}"
    );
    let (code, _, stderr) = site.cli(&["import", "other.csv", "--map", "Nope=title"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`--map Nope=…` names a column the file does not have"),
        "{stderr}"
    );
}

#[test]
fn a_ragged_row_is_an_error_at_its_row_and_nothing_is_written() {
    let site = Site::new();
    site.write(
        "ragged.csv",
        "slug,title,city,country,topics,summary,published\n\
         a,A,Turin,IT,poverty,Sum.,2024-01-15\n\
         b,B, Italy,Turin,IT,poverty,Sum.,2024-01-15\n",
    );
    let before = practices(&site);
    let (code, _, stderr) = site.cli(&["import", "ragged.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0011]: row 3 has 8 cells; the header has only 7"),
        "{stderr}"
    );
    assert!(stderr.contains("--> ragged.csv:3:8"), "{stderr}");
    assert!(stderr.contains("must be in double quotes"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(practices(&site), before);
}

#[test]
fn a_bad_date_in_row_212_is_reported_at_that_row_and_column() {
    let site = Site::new();
    let mut csv = String::from("slug,title,city,country,topics,summary,published\n");
    for i in 2..=300 {
        let date = if i == 212 { "2024-02-30" } else { "2024-01-15" };
        csv.push_str(&format!("p{i},P {i},Turin,IT,poverty,Sum.,{date}\n"));
    }
    site.write("big.csv", &csv);
    let (code, _, stderr) = site.cli(&["import", "big.csv"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error[E0105]: bad date in `published`: 2024-02 has no day 30 (column G `published`, p212 in `en`)"), "{stderr}");
    assert!(stderr.contains("--> big.csv:212:7"), "{stderr}");
    assert!(
        stderr.contains("Import failed: 1 error; nothing was written."),
        "{stderr}"
    );
    assert!(practices(&site).is_empty());
}

#[test]
fn an_undeclared_term_gets_did_you_mean_and_every_problem_is_reported_at_once() {
    let site = Site::new();
    site.write(
        "terms.csv",
        "slug,title,city,country,topics,summary,published\n\
         a,A,Turin,IT,urban-comons,Sum.,2024-01-15\n\
         b,B,Turin,it,poverty,Sum.,2024-01-15\n\
         c,,Turin,IT,poverty,Sum.,2024-01-15\n",
    );
    let (code, _, stderr) = site.cli(&["import", "terms.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr
            .contains("error[E0102]: unknown topic `urban-comons` (column E `topics`, a in `en`)"),
        "{stderr}"
    );
    assert!(stderr.contains("--> terms.csv:2:5"), "{stderr}");
    assert!(stderr.contains("did you mean `urban-commons`?"), "{stderr}");
    assert!(stderr.contains("--> terms.csv:3:4"), "{stderr}");
    assert!(
        stderr.contains("country codes are uppercase: `country: IT`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[E0103]: missing required field `title`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> terms.csv:4:2"), "{stderr}");
    assert!(stderr.contains("Import failed: 3 errors"), "{stderr}");
    assert!(practices(&site).is_empty());
}

#[test]
fn an_existing_file_is_never_overwritten_without_update() {
    let site = Site::new();
    let existing = "---\ntitle: Old\ncity: Turin\ncountry: IT\ntopics: [poverty]\nsummary: Old.\npublished: 2024-01-15\nimage: { src: https://example.org/a.jpg, alt: A picture }\n---\nThe body editors wrote.\n";
    site.write("content/practices/co-city.md", existing);
    site.write(
        "new.csv",
        "slug,title,summary,topics,published\nco-city,New title,New summary.,\"poverty,housing\",2024-01-15\n",
    );
    let (code, _, stderr) = site.cli(&["import", "new.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0009]: content/practices/co-city.md already exists"),
        "{stderr}"
    );
    assert!(stderr.contains("--> new.csv:2:1"), "{stderr}");
    assert!(stderr.contains("--update"), "{stderr}");
    assert!(stderr.contains("Import failed: 1 error;"), "{stderr}");
    assert_eq!(read(&site, "content/practices/co-city.md"), existing);
    let (code, stdout, stderr) = site.cli(&["import", "new.csv", "--update"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Updated content/practices/co-city.md"),
        "{stdout}"
    );
    assert_eq!(
        read(&site, "content/practices/co-city.md"),
        "---\ntitle: New title\ncity: Turin\ncountry: IT\ntopics: [poverty, housing]\nsummary: New summary.\npublished: 2024-01-15\nimage: { src: https://example.org/a.jpg, alt: A picture }\n---\nThe body editors wrote.\n",
        "the fields without a column and the body are kept"
    );
}

#[test]
fn skip_invalid_writes_the_valid_practices_and_reports_the_others() {
    let site = Site::new();
    site.write(
        "mixed.csv",
        "slug,title,city,country,topics,summary,published,related\n\
         good,Good,Turin,IT,poverty,Sum.,2024-01-15,\n\
         bad,Bad,Turin,IT,povrty,Sum.,2024-01-15,\n\
         linked,Linked,Turin,IT,poverty,Sum.,2024-01-15,bad\n",
    );
    let (code, stdout, stderr) = site.cli(&["import", "mixed.csv", "--skip-invalid"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("unknown topic `povrty`") && stderr.contains("--> mixed.csv:3:5"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no practice has the slug `bad`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> mixed.csv:4:8"), "{stderr}");
    assert!(
        stdout.contains("Skipped 2 practices with errors"),
        "{stdout}"
    );
    let written: Vec<String> = practices(&site).into_keys().collect();
    assert_eq!(written, ["good.md"]);
    site.build_ok();
}

#[test]
fn dry_run_shows_the_files_and_writes_nothing() {
    let site = Site::new();
    site.write("import.csv", LONG);
    let (code, stdout, stderr) = site.cli(&["import", "import.csv", "--dry-run"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Would write content/practices/co-city.es.md\n---\ntitle: CO-CITY\n"),
        "{stdout}"
    );
    assert!(stdout.contains("nothing was written"), "{stdout}");
    assert!(practices(&site).is_empty());
}

#[test]
fn declared_fields_are_columns_typed_by_their_kind() {
    let config = format!(
        "{CONFIG}  organisation-types:\n    ngo: {{ en: NGO, es: ONG }}\n    city: {{ en: City, es: Ciudad }}\n\
         fields:\n  lessons:\n    type: text\n    label: {{ en: Lessons learnt }}\n\
         \x20 run_by:\n    type: terms\n    vocabulary: organisation-types\n    label: {{ en: Run by }}\n"
    );
    let site = Site::with_config(&config);
    site.write(
        "fields.csv",
        "slug,title,city,country,topics,summary,published,lessons,lessons_es,run_by,title_es,summary_es,published_es\n\
         a,A,Turin,IT,poverty,Sum.,2024-01-15,Start small.,Empezar poco a poco.,ngo;city,A es,Res.,2024-02-01\n",
    );
    let (code, stdout, stderr) = site.cli(&["import", "fields.csv"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let en = read(&site, "content/practices/a.md");
    assert!(
        en.contains("lessons: Start small.\nrun_by: [ngo, city]\n"),
        "{en}"
    );
    let es = read(&site, "content/practices/a.es.md");
    assert!(
        es.contains("lessons: Empezar poco a poco.\n") && !es.contains("run_by"),
        "{es}"
    );
    site.build_ok();
    let data = site.read("practices.json");
    assert!(data.contains("\"run_by\""), "{data}");
    site.write(
        "bad.csv",
        "slug,title,city,country,topics,summary,published,run_by\nb,B,Turin,IT,poverty,Sum.,2024-01-15,ngoo\n",
    );
    let (code, _, stderr) = site.cli(&["import", "bad.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("--> bad.csv:2:8") && stderr.contains("did you mean `ngo`?"),
        "{stderr}"
    );
}

#[test]
fn every_problem_of_the_header_is_reported_with_what_was_meant() {
    let site = Site::new();
    site.write(
        "header.csv",
        "slug,titel,title,Title,summary,published\na,x,A,A,Sum.,2024-01-15\n",
    );
    let (code, _, stderr) = site.cli(&["import", "header.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0011]: column B (`titel`) is not a field casebook knows"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `title`?"), "{stderr}");
    assert!(stderr.contains("--> header.csv:1:2"), "{stderr}");
    assert!(
        stderr.contains("column D (`Title`) gives the same field as column C (`title`)"),
        "{stderr}"
    );
    assert!(stderr.contains("--> header.csv:1:4"), "{stderr}");
    assert!(practices(&site).is_empty());
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let site = Site::new();
    site.write_bytes(
        "latin1.csv",
        b"slug,title,city\nsevilla,Sevilla,Sevilla\nleon,Le\xf3n,Le\xf3n\n",
    );
    let (code, _, stderr) = site.cli(&["import", "latin1.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0002]: the file is not UTF-8 text"),
        "{stderr}"
    );
    assert!(stderr.contains("--> latin1.csv:3:8"), "{stderr}");
    assert!(stderr.contains("CSV UTF-8"), "{stderr}");
}

#[test]
fn shared_fields_must_agree_across_rows_and_with_the_site() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &common::practice("CO-CITY", "poverty", ""),
    );
    site.write(
        "rows.csv",
        "slug,lang,title,city,country,topics,summary,published\n\
         lab,en,Lab,Turin,IT,poverty,Sum.,2024-01-15\n\
         lab,es,Lab,Turín,ES,poverty,Res.,2024-02-01\n\
         co-city,es,CO-CITY,Turín,FR,,Res.,2024-02-01\n",
    );
    let (code, _, stderr) = site.cli(&["import", "rows.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0201]: `country` of practice `lab` differs from row 2"),
        "{stderr}"
    );
    assert!(stderr.contains("--> rows.csv:3:5"), "{stderr}");
    assert!(
        stderr.contains("note: row 2 gives another `country` (rows.csv:2:5)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`country` is `FR` here but `IT` in content/practices/co-city.md"),
        "{stderr}"
    );
    assert!(stderr.contains("--> rows.csv:4:5"), "{stderr}");
    assert!(!site.root().join("content/practices/lab.md").exists());
}

/// A small deterministic generator of text, for inputs nobody would write by hand.
fn noise(seed: &mut u64, len: usize) -> String {
    const PIECES: &[&str] = &[
        ",",
        ";",
        "\"",
        "\n",
        "\r\n",
        "\t",
        "'",
        "=",
        "slug",
        "title",
        "lang",
        "es",
        "en",
        "topics",
        "poverty",
        "2024-01-15",
        "2024-13-45",
        "body",
        "title_es",
        "---",
        ":",
        "#",
        "\u{feff}",
        "é",
        "\u{202e}",
        "",
        " ",
        "{",
        "}",
        "[",
        "]",
        "\\",
        "0",
        "1e999",
        "budget_total",
        "latitude",
        "summary",
        "published",
        "city",
        "country",
        "IT",
    ];
    (0..len)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            PIECES[(*seed % PIECES.len() as u64) as usize]
        })
        .collect()
}

#[test]
fn any_csv_or_json_gives_files_or_diagnostics_never_a_panic() {
    let site = Site::new();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..300 {
        let header = "slug,lang,title,city,country,topics,summary,published,body\n";
        let text = match i % 3 {
            0 => noise(&mut seed, 60),
            1 => format!("{header}{}", noise(&mut seed, 80)),
            _ => format!(
                "{{\"format\":\"casebook-dataset\",\"practices\":[{{\"slug\":\"a\",{}}}]}}",
                noise(&mut seed, 30)
            ),
        };
        let name = if i % 3 == 2 {
            "noise.json"
        } else {
            "noise.csv"
        };
        site.write(name, &text);
        let opts = casebook::commands::import::ImportOptions {
            root: site.root().to_path_buf(),
            file: site.root().join(name),
            map: Vec::new(),
            update: false,
            skip_invalid: i % 2 == 0,
            dry_run: true,
        };
        if let Err(diags) = casebook::commands::import::import(&opts) {
            assert!(!diags.is_empty(), "a failure says why: {text:?}");
        }
    }
    assert!(practices(&site).is_empty());
}

#[test]
fn a_thousand_bad_rows_show_the_first_fifty_and_count_the_others() {
    let site = Site::new();
    let mut csv = String::from("slug,title,city,country,topics,summary,published\n");
    for i in 0..1000 {
        csv.push_str(&format!("p{i},P,Turin,IT,povrty,Sum.,2024-01-15\n"));
    }
    site.write("bad.csv", &csv);
    let (code, _, stderr) = site.cli(&["import", "bad.csv"]);
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("error[E0102]").count(), 51, "{stderr}");
    assert!(
        stderr.contains("950 more problems in this file are not shown"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Import failed: 1000 errors; nothing was written."),
        "{stderr}"
    );
}

#[test]
fn translations_of_a_practice_of_the_site_inherit_the_shared_fields_it_gives() {
    let site = Site::new();
    site.write(
        "content/practices/co-city.md",
        &common::practice("CO-CITY", "poverty", "level: local\n"),
    );
    site.write(
        "es.csv",
        "slug,lang,title,city,country,topics,level,start,summary,published\n\
         co-city,es,CO-CITY,Turín,IT,poverty,local,2017,Res.,2024-02-01\n",
    );
    let (code, stdout, stderr) = site.cli(&["import", "es.csv"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        read(&site, "content/practices/co-city.es.md"),
        "---\ntitle: CO-CITY\ncity: Turín\nstart: 2017\nsummary: Res.\npublished: 2024-02-01\n\
         # No body was imported: write the practice's text below the closing `---`.\n---\n",
        "country, topics and level are the English file's; start is new"
    );
    site.build_ok();
}

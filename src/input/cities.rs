//! Well-known European cities and their countries, so that a hint can suggest the right
//! `country:` for a practice in Lisbon (and never a wrong one: an unknown city gets none).

use crate::input::file_name::suggest_slug;

/// `(country code, country name in English, cities as slugs: English and local names)`.
const CITIES: &[(&str, &str, &[&str])] = &[
    (
        "AT",
        "Austria",
        &["vienna", "wien", "graz", "linz", "salzburg"],
    ),
    (
        "BE",
        "Belgium",
        &[
            "brussels",
            "bruxelles",
            "brussel",
            "antwerp",
            "antwerpen",
            "ghent",
            "gent",
            "liege",
            "leuven",
        ],
    ),
    ("BG", "Bulgaria", &["sofia", "plovdiv", "varna"]),
    (
        "CH",
        "Switzerland",
        &["zurich", "geneva", "geneve", "bern", "basel", "lausanne"],
    ),
    ("CY", "Cyprus", &["nicosia", "limassol"]),
    ("CZ", "Czechia", &["prague", "praha", "brno", "ostrava"]),
    (
        "DE",
        "Germany",
        &[
            "berlin",
            "hamburg",
            "munich",
            "munchen",
            "cologne",
            "koln",
            "frankfurt",
            "stuttgart",
            "leipzig",
            "dresden",
            "dusseldorf",
            "bremen",
        ],
    ),
    (
        "DK",
        "Denmark",
        &["copenhagen", "kobenhavn", "aarhus", "odense"],
    ),
    ("EE", "Estonia", &["tallinn", "tartu"]),
    (
        "ES",
        "Spain",
        &[
            "madrid",
            "barcelona",
            "valencia",
            "seville",
            "sevilla",
            "bilbao",
            "zaragoza",
            "malaga",
            "terrassa",
            "l-hospitalet-de-llobregat",
            "palma",
            "granada",
            "cordoba",
            "vigo",
            "gijon",
        ],
    ),
    (
        "FI",
        "Finland",
        &["helsinki", "espoo", "tampere", "turku", "oulu"],
    ),
    (
        "FR",
        "France",
        &[
            "paris",
            "lyon",
            "marseille",
            "toulouse",
            "lille",
            "nantes",
            "bordeaux",
            "strasbourg",
            "nice",
            "montpellier",
            "rennes",
            "grenoble",
        ],
    ),
    (
        "GB",
        "the United Kingdom",
        &[
            "london",
            "manchester",
            "birmingham",
            "glasgow",
            "edinburgh",
            "leeds",
            "bristol",
            "liverpool",
            "cardiff",
            "belfast",
        ],
    ),
    (
        "GR",
        "Greece",
        &["athens", "athina", "thessaloniki", "patras"],
    ),
    ("HR", "Croatia", &["zagreb", "split", "rijeka"]),
    ("HU", "Hungary", &["budapest", "debrecen", "szeged"]),
    ("IE", "Ireland", &["dublin", "cork", "galway", "limerick"]),
    (
        "IT",
        "Italy",
        &[
            "rome", "roma", "milan", "milano", "turin", "torino", "naples", "napoli", "bologna",
            "florence", "firenze", "venice", "venezia", "genoa", "genova", "palermo", "bari",
        ],
    ),
    ("LT", "Lithuania", &["vilnius", "kaunas"]),
    ("LU", "Luxembourg", &["luxembourg"]),
    ("LV", "Latvia", &["riga"]),
    ("MT", "Malta", &["valletta"]),
    (
        "NL",
        "the Netherlands",
        &[
            "amsterdam",
            "rotterdam",
            "the-hague",
            "den-haag",
            "utrecht",
            "eindhoven",
            "groningen",
        ],
    ),
    ("NO", "Norway", &["oslo", "bergen", "trondheim"]),
    (
        "PL",
        "Poland",
        &[
            "warsaw", "warszawa", "krakow", "gdansk", "wroclaw", "lodz", "poznan",
        ],
    ),
    (
        "PT",
        "Portugal",
        &["lisbon", "lisboa", "porto", "oporto", "braga", "coimbra"],
    ),
    (
        "RO",
        "Romania",
        &["bucharest", "bucuresti", "cluj-napoca", "timisoara", "iasi"],
    ),
    ("RS", "Serbia", &["belgrade", "beograd", "novi-sad"]),
    (
        "SE",
        "Sweden",
        &["stockholm", "gothenburg", "goteborg", "malmo", "uppsala"],
    ),
    ("SI", "Slovenia", &["ljubljana", "maribor"]),
    ("SK", "Slovakia", &["bratislava", "kosice"]),
    (
        "UA",
        "Ukraine",
        &["kyiv", "kiev", "lviv", "kharkiv", "odesa"],
    ),
];

/// The country code and English name of a well-known city (any case, accents or not).
pub fn country_of(city: &str) -> Option<(&'static str, &'static str)> {
    let slug = suggest_slug(city);
    CITIES
        .iter()
        .find(|(_, _, cities)| cities.contains(&slug.as_str()))
        .map(|(code, name, _)| (*code, *name))
}

#[cfg(test)]
mod tests {
    use super::country_of;

    #[test]
    fn knows_cities_in_their_own_spelling() {
        assert_eq!(country_of("Lisbon"), Some(("PT", "Portugal")));
        assert_eq!(country_of("Lisboa"), Some(("PT", "Portugal")));
        assert_eq!(country_of("València"), Some(("ES", "Spain")));
        assert_eq!(country_of("Köln"), Some(("DE", "Germany")));
        assert_eq!(country_of("The Hague"), Some(("NL", "the Netherlands")));
        assert_eq!(country_of("Atlantis"), None);
    }
}

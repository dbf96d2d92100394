//! Reading what a site is made of: casebook.yaml, the content tree and each file's name,
//! front matter and body, with byte offsets kept so that every later problem can name
//! `file:line:col`.

pub mod cities;
pub mod config;
pub mod content;
pub mod control_chars;
pub mod countries;
pub mod dates;
pub mod file_name;
pub mod files;
pub mod front_matter;
pub mod language_codes;
pub mod yaml;
pub mod yaml_mistakes;

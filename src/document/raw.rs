//! A practice's front matter as written: each value with its place, before any check.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::types::{KeyFigure, Owner};
use crate::input::dates::RawDate;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBudget {
    pub(super) total: Option<Spanned<f64>>,
    pub(super) eu: Option<Spanned<f64>>,
    pub(super) currency: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImage {
    pub(super) src: Option<Spanned<String>>,
    pub(super) alt: Option<Spanned<String>>,
    pub(super) focus: Option<Spanned<(f64, f64)>>,
}

/// A value of a field the site declares, as written: its type is checked against the
/// declaration later, so that every mistake is reported with its place.
#[derive(Debug, Clone)]
pub(crate) enum RawValue {
    /// `~` or nothing.
    Null,
    /// `true`, `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Any other scalar.
    Text(String),
    /// A sequence, each item with its place.
    List(Vec<Spanned<RawValue>>),
    /// A mapping: no declared field takes one.
    Map,
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_unit<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<RawValue, D2::Error> {
                RawValue::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::Text(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<RawValue>>()? {
                    items.push(item);
                }
                Ok(RawValue::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawValue::Map)
            }
        }
        d.deserialize_any(V)
    }
}

/// Declares [`RawPractice`] with its built-in fields and reads it field by field: a key
/// casebook does not know is kept, with its value, for the site's declared fields (or an
/// "unknown field" error) rather than refused by the YAML reader.
macro_rules! raw_practice {
    ($($(#[$attr:meta])* $field:ident: $ty:ty,)*) => {
        /// A practice's front matter as written, each value with its place.
        #[derive(Default)]
        pub(super) struct RawPractice {
            $($(#[$attr])* pub(super) $field: Option<$ty>,)*
            /// Every other key, in the order written, with its value.
            pub(super) other: Vec<(Spanned<String>, Spanned<RawValue>)>,
        }

        impl<'de> Deserialize<'de> for RawPractice {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = RawPractice;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("a mapping of front matter fields")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPractice, A::Error> {
                        let mut raw = RawPractice::default();
                        let mut seen: Vec<&'static str> = Vec::new();
                        while let Some(key) = map.next_key::<Spanned<String>>()? {
                            match key.value.as_str() {
                                $(stringify!($field) => {
                                    if seen.contains(&stringify!($field)) {
                                        return Err(A::Error::duplicate_field(stringify!($field)));
                                    }
                                    seen.push(stringify!($field));
                                    raw.$field = map.next_value()?;
                                })*
                                _ => {
                                    let value = map.next_value()?;
                                    raw.other.push((key, value));
                                }
                            }
                        }
                        Ok(raw)
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}

raw_practice! {
    title: Spanned<String>,
    subtitle: Spanned<String>,
    city: Spanned<String>,
    region: Spanned<String>,
    country: Spanned<String>,
    coordinates: Spanned<(f64, f64)>,
    programme: Spanned<String>,
    topics: Spanned<Vec<Spanned<String>>>,
    level: Spanned<String>,
    start: Spanned<RawDate>,
    end: Spanned<RawDate>,
    budget: Spanned<RawBudget>,
    partners: Spanned<Vec<Spanned<String>>>,
    owner: Spanned<Owner>,
    key_figures: Spanned<Vec<Spanned<KeyFigure>>>,
    summary: Spanned<String>,
    published: Spanned<RawDate>,
    updated: Spanned<RawDate>,
    draft: bool,
    related: Spanned<Vec<Spanned<String>>>,
    adapted_by: Spanned<Vec<Spanned<String>>>,
    image: Spanned<RawImage>,
    translated_from: Spanned<String>,
}

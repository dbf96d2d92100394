//! Translations that keep up with their sources: the record of which version of the source
//! a translation was made from ([`record`]), its source found and fingerprinted
//! ([`source`]), what changed in a source since, from Git history ([`history`]), and the
//! exchange with translators' tools: bodies cut into blocks of inline
//! text and codes ([`blocks`], [`inline`]) and XLIFF 2.1 files ([`xliff`]).
//!
//! What counts as translatable, and the fingerprint, are in
//! [`crate::document::translatable`]; whether a translation is up to date, in
//! [`crate::model::translations`].

pub mod blocks;
pub mod compose;
pub mod history;
pub mod inline;
pub mod record;
pub mod source;
pub mod units;
pub mod xliff;

//! The commands on top of the pipeline: `build`, `check`, `serve`, `new` and `init`
//! (`scaffold`), `schema`, `cms`, `translations` and `import`.

pub mod args;
pub mod build;
pub mod check;
pub mod cms;
pub mod import;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod translations;

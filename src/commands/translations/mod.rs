//! `casebook translations`: whether every translation is up to date with its source
//! (`status`), recording that one is (`mark`), and the XLIFF round trip with translators
//! (`export`, `import`).

pub mod export;
pub mod import;
pub mod mark;
pub mod status;

pub use export::{Exported, export};
pub use import::{Imported, import};
pub use mark::{Marked, mark};
pub use status::{Status, status};

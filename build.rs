//! Embeds the default theme (themes/default/) in the binary, so that a site needs no copy of
//! it: writes `$OUT_DIR/default_theme.rs`, a sorted list of `(path, include_bytes!(…))`.

use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let theme = manifest.join("themes").join("default");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    walk(&theme, &mut files);
    let mut files: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&theme)
                .expect("under the theme")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, f)
        })
        .collect();
    // Sorted as strings, so that the binary can look files up by binary search.
    files.sort();
    let mut code =
        String::from("/// The default theme's files: path under themes/default/, contents.\n");
    code.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, f) in &files {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("default_theme.rs");
    std::fs::write(out, code).expect("write default_theme.rs");
}

//! The real Decap CMS for browser tests: npm's `decap-cms` (the CMS's script) and
//! `decap-server` (its local backend proxy, which writes entries into a folder), as
//! `.ci/run` and `scripts/test` install them into ~/.cache/casebook-ci. Tests fail, never
//! skip, when they are missing.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The node_modules folder holding decap-cms and decap-server: `$CASEBOOK_CMS_MODULES`, or
/// where `.ci/run` installs them.
pub fn node_modules() -> PathBuf {
    let dir = std::env::var_os("CASEBOOK_CMS_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".cache/casebook-ci/node_modules")
        });
    for needed in ["decap-cms/dist/decap-cms.js", "decap-server/dist/index.js"] {
        assert!(
            dir.join(needed).is_file(),
            "{} is missing: run scripts/test or .ci/run, or `npm install decap-cms@3 decap-server@3` and set CASEBOOK_CMS_MODULES to its node_modules",
            dir.join(needed).display()
        );
    }
    dir
}

/// npm's `decap-cms/dist/decap-cms.js`.
pub fn decap_script() -> PathBuf {
    node_modules().join("decap-cms/dist/decap-cms.js")
}

/// A running decap-server, on loopback only, writing into one folder.
pub struct DecapServer {
    child: Child,
    /// Its port.
    pub port: u16,
    /// Everything it printed.
    pub output: Arc<Mutex<String>>,
}

impl DecapServer {
    /// Starts decap-server (mode `fs`: files written as they are saved, no commits) for the
    /// site at `root`, on a free loopback port, and waits until it listens.
    pub fn start(root: &Path) -> DecapServer {
        let node = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join("node"))
            .find(|p| p.is_file())
            .expect(
                "node is missing: install Debian's nodejs and npm (apt-get install nodejs npm)",
            );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(node)
            .arg(node_modules().join("decap-server/dist/index.js"))
            .env("PORT", port.to_string())
            .env("BIND_HOST", "127.0.0.1")
            .env("MODE", "fs")
            .env("GIT_REPO_DIRECTORY", root)
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start decap-server");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let out = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    out.lock().unwrap().push_str(&format!("{line}\n"));
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while !output.lock().unwrap().contains("listening on") {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "decap-server stopped ({status}):\n{}",
                    output.lock().unwrap()
                );
            }
            assert!(
                Instant::now() < deadline,
                "decap-server did not start:\n{}",
                output.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        DecapServer {
            child,
            port,
            output,
        }
    }

    /// The URL of its API, for `local_backend: { url: … }`.
    pub fn api(&self) -> String {
        format!("http://127.0.0.1:{}/api/v1", self.port)
    }
}

impl Drop for DecapServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

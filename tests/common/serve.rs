//! `casebook serve` as a child process on an ephemeral port, with a raw HTTP/1.1 client (so
//! that requests reach the server exactly as written, `..` and all) and a reader of the
//! live-reload events (as Server-Sent Events).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `casebook serve`.
pub struct Server {
    child: Child,
    /// Its port.
    pub port: u16,
    /// Where it writes the site.
    pub dir: PathBuf,
    /// Everything it printed so far.
    pub output: Arc<Mutex<String>>,
}

/// An HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Server {
    /// Starts `casebook serve --root ROOT --port 0 ARGS…` and waits until it serves.
    pub fn start(root: &Path, args: &[&str]) -> Server {
        Server::start_with(root, args, Command::new(env!("CARGO_BIN_EXE_casebook")))
    }

    /// As [`Server::start`], with `command` (the casebook program) set up by the caller:
    /// its environment, for example.
    pub fn start_with(root: &Path, args: &[&str], mut command: Command) -> Server {
        let mut child = command
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(if args.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start casebook serve");
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
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = output.lock().unwrap().clone();
            if let Some(line) = text.lines().find(|l| l.starts_with("Serving ")) {
                let port = line
                    .split("http://127.0.0.1:")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| panic!("no port in {line}"));
                let dir = line
                    .split("(written to ")
                    .nth(1)
                    .and_then(|r| r.split(')').next())
                    .map(PathBuf::from)
                    .unwrap_or_else(|| panic!("no folder in {line}"));
                return Server {
                    child,
                    port,
                    dir,
                    output,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("casebook serve exited with {status}:\n{text}");
            }
            assert!(
                Instant::now() < deadline,
                "casebook serve did not start:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The `Host` its pages are opened with: `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// What it printed so far.
    pub fn printed(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until it has printed `text` at least `times` times.
    pub fn wait_printed_times(&self, text: &str, times: usize, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.printed().matches(text).count() < times {
            assert!(
                Instant::now() < deadline,
                "waited for {text:?} {times} times; casebook serve printed:\n{}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until it has printed `text`.
    pub fn wait_printed(&self, text: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.printed().contains(text) {
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; casebook serve printed:\n{}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `request` (the request line and headers, without the final blank line) as is.
    pub fn raw(&self, request: &str) -> Reply {
        raw(self.port, request)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Reply {
        self.raw(&format!("GET {path} HTTP/1.1\r\nHost: {}", self.host()))
    }

    /// Connects to the live-reload stream.
    pub fn events(&self) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        s.write_all(
            format!(
                "GET /__casebook/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
                self.host()
            )
            .as_bytes(),
        )
        .unwrap();
        let mut e = Events {
            stream: s,
            seen: String::new(),
            read: 0,
            hello: String::new(),
        };
        e.hello = e.next("hello", Duration::from_secs(10));
        e
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(work) = self.dir.parent() {
            let _ = std::fs::remove_dir_all(work);
        }
    }
}

/// Sends a raw request to `port` and reads the whole response (`Connection: close`).
pub fn raw(port: u16, request: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(format!("{request}\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head: {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    }
}

/// A live-reload event stream.
pub struct Events {
    stream: TcpStream,
    seen: String,
    read: usize,
    /// The data of the first event: the current build and its problems.
    pub hello: String,
}

impl Events {
    /// Waits for the next event named `name` and returns its data.
    pub fn next(&mut self, name: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let marker = format!("event: {name}\ndata: ");
        loop {
            if let Some(at) = self.seen[self.read..].find(&marker) {
                let start = self.read + at + marker.len();
                if let Some(len) = self.seen[start..].find('\n') {
                    self.read = start + len;
                    return self.seen[start..start + len].to_string();
                }
            }
            assert!(
                Instant::now() < deadline,
                "no `{name}` event in time; received:\n{}",
                &self.seen[self.read..]
            );
            let mut buf = [0u8; 4096];
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the event stream closed; received:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {}
            }
        }
    }

    /// Everything received so far after the last event returned.
    pub fn pending(&mut self) -> String {
        let mut buf = [0u8; 4096];
        while let Ok(n) = self.stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        self.seen[self.read..].to_string()
    }
}

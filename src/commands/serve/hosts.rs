//! Which `Host` (and WebSocket `Origin`) a request may name: the defence against DNS
//! rebinding. A page on `http://evil.example:1111/` whose name is made to resolve to
//! 127.0.0.1 reaches the server with `Host: evil.example:1111`, and is refused; the server's
//! own pages, opened as `http://127.0.0.1:1111/` or `http://localhost:1111/`, are not.
//!
//! Accepted names: `localhost` and its subdomains (`*.localhost`, which browsers resolve to
//! loopback themselves), any loopback address (`127.0.0.1`, `[::1]`, …), and the address the
//! client connected to: the bound address, or with `--bind 0.0.0.0` (or `::`) any address of
//! the machine it is reached at (`http://192.168.1.20:1111/`). Other names are refused:
//! an attacker can make any name resolve to an address, not send an address as `Host`
//! from a page of its own. The port, when given, must be the server's.

use std::net::IpAddr;

/// The names a request may give as its `Host`.
#[derive(Debug, Clone)]
pub struct Hosts {
    port: u16,
    bound: IpAddr,
}

/// `host[:port]` split, with IPv6 addresses kept in brackets; `None` when malformed.
fn split(host: &str) -> Option<(&str, Option<&str>)> {
    if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        match rest {
            "" => Some((name, None)),
            r => r.strip_prefix(':').map(|p| (name, Some(p))),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => Some((name, Some(port))),
            None => Some((host, None)),
        }
    }
}

impl Hosts {
    /// The names of a server bound to `bound`, listening on `port`.
    pub fn new(bound: IpAddr, port: u16) -> Hosts {
        Hosts { port, bound }
    }

    /// Whether `host` (a `Host` header) names this server, for a connection that reached
    /// it at `local` (the address the client connected to).
    pub fn allows(&self, host: &str, local: IpAddr) -> bool {
        let Some((name, port)) = split(host) else {
            return false;
        };
        if port.is_some_and(|p| p.parse::<u16>() != Ok(self.port)) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(&name);
        // `[` and `]` only around an IPv6 address; an IPv4 address as is.
        let ip = match literal.parse::<IpAddr>() {
            Ok(IpAddr::V6(ip)) if literal != name => IpAddr::V6(ip),
            Ok(IpAddr::V4(ip)) if literal == name => IpAddr::V4(ip),
            _ => return false,
        };
        let ip = ip.to_canonical();
        ip.is_loopback() || ip == local.to_canonical() || ip == self.bound.to_canonical()
    }

    /// Whether a WebSocket's `Origin` header is a page of this server (`http://HOST`).
    /// Browsers send it on every WebSocket, and do not apply the same-origin policy to
    /// WebSockets otherwise.
    pub fn allows_origin(&self, origin: &str, local: IpAddr) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.allows(host, local))
    }

    /// The plain explanation of a refusal, for a `Host` of `host`.
    pub fn refusal(&self, host: Option<&str>) -> String {
        let p = self.port;
        let what = match host {
            Some(h) => format!("its Host header, {h:?}, is not a name of this server"),
            None => "it has no Host header".to_string(),
        };
        let mut text = format!(
            "casebook serve refused this request: {what}.\n\n\
             The site is served at http://127.0.0.1:{p}/, http://localhost:{p}/ and http://[::1]:{p}/"
        );
        if self.bound.is_unspecified() {
            text.push_str(&format!(
                ", and at this machine's network addresses (http://ADDRESS:{p}/)"
            ));
        } else if !self.bound.is_loopback() {
            let shown = match self.bound {
                IpAddr::V6(ip) => format!("[{ip}]"),
                IpAddr::V4(ip) => ip.to_string(),
            };
            text.push_str(&format!(", and at http://{shown}:{p}/"));
        }
        text.push_str(
            ". Other names are refused so that a web page cannot point its own name at this \
             machine and read the site and its drafts (DNS rebinding).\n",
        );
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn loopback_names_with_the_port_are_accepted() {
        let h = Hosts::new(LOOP, 1111);
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LocalHost:1111",
            "site.localhost:1111",
            "[::1]:1111",
            "[::1]",
            "127.0.0.2:1111",
        ] {
            assert!(h.allows(ok, LOOP), "{ok} refused");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example:1111",
            "127.0.0.1:1112",
            "127.0.0.1:",
            "127.0.0.1:x",
            "localhost:1111:1111",
            "[127.0.0.1]:1111",
            "::1",
            "[::1",
            "[::1]x",
            "192.168.1.20:1111",
            "",
        ] {
            assert!(!h.allows(bad, LOOP), "{bad} accepted");
        }
        assert!(h.allows_origin("http://localhost:1111", LOOP));
        assert!(!h.allows_origin("http://evil.example:1111", LOOP));
        assert!(!h.allows_origin("null", LOOP));
        assert!(!h.allows_origin("https://localhost:1111", LOOP));
    }

    #[test]
    fn on_every_address_the_address_reached_is_accepted_not_a_name() {
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        let h = Hosts::new(any, 1111);
        assert!(h.allows("192.168.1.20:1111", lan));
        assert!(h.allows("192.168.1.20:1111", "::ffff:192.168.1.20".parse().unwrap()));
        assert!(!h.allows("192.168.1.21:1111", lan));
        assert!(!h.allows("mybox.example:1111", lan));
        assert!(h.refusal(Some("x")).contains("network addresses"));
        let v6 = Hosts::new("fe80::1".parse().unwrap(), 1111);
        assert!(v6.allows("[fe80::1]:1111", LOOP));
        assert!(v6.refusal(None).contains("http://[fe80::1]:1111/"));
    }
}

//! A connection that is closed when nothing moves on it for a while, in either direction:
//! a client that stops reading its response, or stops sending, frees its place. Live-reload
//! connections stay open: the server writes to them at least every 15 s.
//!
//! The connection also holds its place under the connection limit, and gives it back when
//! it is dropped, whether by hyper or, after a WebSocket upgrade, by the socket's task.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};

/// A stream that fails with `TimedOut` after `idle` without a byte read or written.
pub struct Idle<T> {
    inner: T,
    idle: Duration,
    /// When a byte last moved.
    last: Instant,
    timer: Pin<Box<Sleep>>,
    _place: Option<OwnedSemaphorePermit>,
}

impl<T> Idle<T> {
    /// Wraps `inner`, holding `place` (under the connection limit) as long as it lives.
    pub fn new(inner: T, idle: Duration, place: Option<OwnedSemaphorePermit>) -> Idle<T> {
        let last = Instant::now();
        Idle {
            inner,
            idle,
            last,
            timer: Box::pin(tokio::time::sleep_until(last + idle)),
            _place: place,
        }
    }

    /// Called when the inner stream is not ready: an error once idle for too long.
    fn check(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        loop {
            if self.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            // The timer is reset lazily, only when it fires: bytes moved since?
            let due = self.last + self.idle;
            if due <= Instant::now() {
                return Poll::Ready(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "nothing sent or received for too long",
                ));
            }
            self.timer.as_mut().reset(due);
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Idle<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > before {
                    this.last = Instant::now();
                }
                Poll::Ready(r)
            }
            Poll::Pending => this.check(cx).map(Err),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Idle<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(r) => {
                if r.as_ref().is_ok_and(|n| *n > 0) {
                    this.last = Instant::now();
                }
                Poll::Ready(r)
            }
            Poll::Pending => this.check(cx).map(Err),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.check(cx).map(Err),
            ready => ready,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_shutdown(cx) {
            Poll::Pending => this.check(cx).map(Err),
            ready => ready,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
    }

    #[test]
    fn a_silent_peer_times_out_a_talking_one_does_not() {
        runtime().block_on(async {
            let (a, mut b) = tokio::io::duplex(64);
            let mut idle = Idle::new(a, Duration::from_secs(10), None);
            let mut buf = [0u8; 8];
            // Bytes every 6 s keep it open past 10 s.
            let talk = async {
                for _ in 0..3 {
                    tokio::time::sleep(Duration::from_secs(6)).await;
                    b.write_all(b"x").await.unwrap();
                }
                b
            };
            let read = async {
                for _ in 0..3 {
                    assert_eq!(idle.read(&mut buf).await.unwrap(), 1);
                }
                let started = Instant::now();
                let e = idle.read(&mut buf).await.unwrap_err();
                assert_eq!(e.kind(), io::ErrorKind::TimedOut);
                assert_eq!(started.elapsed(), Duration::from_secs(10));
            };
            let (_b, ()) = tokio::join!(talk, read);
        });
    }

    #[test]
    fn a_peer_that_does_not_read_times_out() {
        runtime().block_on(async {
            let (a, _b) = tokio::io::duplex(16);
            let mut idle = Idle::new(a, Duration::from_secs(10), None);
            let e = idle.write_all(&[0u8; 64]).await.unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        });
    }
}

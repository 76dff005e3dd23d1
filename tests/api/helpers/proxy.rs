//! A TCP proxy in front of PostgreSQL that a test cuts and restores, for
//! database outages: cut with [`Cut::Reset`], every connection through it is
//! closed and each new one is closed as soon as it is accepted (the database
//! went down behind a balancer); with [`Cut::Blackhole`] nothing passes
//! either way and nothing is closed (a network partition: reads hang), until
//! the proxy is restored, when the stalled connections are dropped. Once
//! restored, new connections pass again.

use std::net::SocketAddr;

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::{Db, TestApp, create_pg_database};

/// How the proxy treats connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Passes everything.
    Open,
    /// Closes every connection.
    Reset,
    /// Passes nothing, closes nothing.
    Blackhole,
}

/// A running proxy; stops when dropped.
pub struct PgProxy {
    mode: watch::Sender<Cut>,
    task: tokio::task::JoinHandle<()>,
    pub addr: SocketAddr,
}

impl PgProxy {
    /// A proxy on a free loopback port to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let (mode, rx) = watch::channel(Cut::Open);
        let task = tokio::spawn(accept(listener, upstream, rx));
        Self { mode, task, addr }
    }

    /// Cuts the database off, the way `how` says.
    pub fn cut(&self, how: Cut) {
        self.mode.send_replace(how);
    }

    /// Lets connections pass again.
    pub fn restore(&self) {
        self.mode.send_replace(Cut::Open);
    }
}

impl Drop for PgProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept(listener: TcpListener, upstream: SocketAddr, mode: watch::Receiver<Cut>) {
    while let Ok((client, _)) = listener.accept().await {
        let now = *mode.borrow();
        match now {
            Cut::Reset => continue,
            Cut::Blackhole => tokio::spawn(stall(client, mode.clone())),
            Cut::Open => tokio::spawn(pipe(client, upstream, mode.clone())),
        };
    }
}

/// Holds a connection, passing nothing, until the proxy is open again.
async fn stall<T>(held: T, mut mode: watch::Receiver<Cut>) {
    let _ = mode.wait_for(|m| *m == Cut::Open).await;
    drop(held);
}

async fn pipe(mut client: TcpStream, upstream: SocketAddr, mut mode: watch::Receiver<Cut>) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let cut = tokio::select! {
        _ = copy_bidirectional(&mut client, &mut server) => return,
        cut = mode.wait_for(|m| *m != Cut::Open) => cut.map(|m| *m).ok(),
    };
    if cut == Some(Cut::Blackhole) {
        stall((client, server), mode).await;
    }
}

impl TestApp {
    /// An app on a fresh PostgreSQL database that it reaches only through a
    /// [`PgProxy`] (the test's own connections to the database too).
    pub async fn postgres_behind_proxy() -> (Self, PgProxy) {
        let direct = url::Url::parse(&create_pg_database("").await).expect("database URL");
        let upstream = (
            direct.host_str().expect("host"),
            direct.port().unwrap_or(5432),
        );
        let upstream = tokio::net::lookup_host(upstream)
            .await
            .expect("resolve PostgreSQL")
            .next()
            .expect("an address");
        let proxy = PgProxy::start(upstream).await;
        let mut proxied = direct;
        proxied.set_host(Some("127.0.0.1")).expect("host");
        proxied.set_port(Some(proxy.addr.port())).expect("port");
        let app = Self::start(Db::Postgres(proxied.to_string())).await;
        (app, proxy)
    }
}

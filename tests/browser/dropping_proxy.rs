//! A TCP proxy in front of a test server that, once armed, lets `POST /api/items` through to the server and then cuts
//! the connection before the answer reaches the browser, a given number of times: the server has committed, the phone
//! never heard.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct DroppingProxy {
    /// e.g. `http://127.0.0.1:41235`: use it in the browser instead of the server's address.
    pub address: String,
    armed: Arc<AtomicUsize>,
    dropped: Arc<AtomicUsize>,
}

impl DroppingProxy {
    /// Starts a proxy to `upstream` (`host:port`).
    pub async fn start(upstream: String) -> std::io::Result<DroppingProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = format!("http://{}", listener.local_addr()?);
        let armed = Arc::new(AtomicUsize::new(0));
        let dropped = Arc::new(AtomicUsize::new(0));
        let (a, d) = (armed.clone(), dropped.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(pipe(client, upstream.clone(), a.clone(), d.clone()));
            }
        });
        Ok(DroppingProxy { address, armed, dropped })
    }

    /// The next `times` `POST /api/items` reach the server; their answers do not reach the browser.
    pub fn arm(&self, times: usize) {
        self.armed.store(times, Ordering::SeqCst);
    }

    /// How many answers were cut.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }
}

async fn pipe(client: TcpStream, upstream: String, armed: Arc<AtomicUsize>, dropped: Arc<AtomicUsize>) {
    let Ok(server) = TcpStream::connect(&upstream).await else { return };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    // Set on this connection once the armed request went up: whatever comes back is swallowed and the browser's
    // connection closed.
    let cut = Arc::new(AtomicBool::new(false));
    let cut_up = cut.clone();
    let up = tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let take = |left: usize| left.checked_sub(1);
            if buf[..n].starts_with(b"POST /api/items ")
                && armed.fetch_update(Ordering::SeqCst, Ordering::SeqCst, take).is_ok()
            {
                cut_up.store(true, Ordering::SeqCst);
            }
            if server_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match server_read.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if cut.load(Ordering::SeqCst) {
            dropped.fetch_add(1, Ordering::SeqCst);
            break;
        }
        if client_write.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    up.abort();
}

//! PostgreSQL's wire protocol (version 3) over a blocking socket: startup and authentication, the extended
//! query protocol (statements prepared once, then bound and executed with binary values and results),
//! simple queries, a portal read in slices, and COPY. Messages are written and, where rare, parsed with
//! `postgres-protocol`; a data row is read in place in the receive buffer, its values decoded from there.
//!
//! Every exchange ends with the server's ReadyForQuery, which carries the transaction status: the
//! connection knows whether a block is open, or failed, without asking. An exchange cut short (a panic
//! in a row's decoding, an iterator dropped early) is finished before the next one starts.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};

use bytes::BytesMut;
use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::sasl::{self, ChannelBinding, ScramSha256};
use postgres_protocol::message::{backend, frontend};
use postgres_types::{Kind, ToSql, Type};

use super::binds::PgBind;
use super::config::{Config, Host};
use super::tls::SslMode;
use crate::result::ConnectionError;

/// The receive buffer's size; a message longer than it grows it for the time it is read.
const BUFFER: usize = 64 * 1024;
/// Rows a portal returns per Execute: what a dropped iterator leaves to skip.
const PORTAL_ROWS: i32 = 2048;
/// The longest message taken while logging in: what the server sends then is short, so a longer length
/// means the other side is not a PostgreSQL server (an HTTP server answers `HTTP/1.1 ..`).
const MAX_STARTUP_MESSAGE: usize = 64 * 1024;
/// The longest message taken later: PostgreSQL's values stop at 1 GB.
const MAX_MESSAGE: usize = (1 << 30) + (1 << 20);

/// The socket.
enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(std::os::unix::net::UnixStream),
    #[cfg(feature = "rustls")]
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_nonblocking(on),
            #[cfg(unix)]
            Stream::Unix(s) => s.set_nonblocking(on),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => s.sock.set_nonblocking(on),
        }
    }

    /// Read and write timeouts on the socket; `None` waits as long as it takes.
    fn set_timeout(&self, timeout: Option<std::time::Duration>) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_read_timeout(timeout).and_then(|()| s.set_write_timeout(timeout)),
            #[cfg(unix)]
            Stream::Unix(s) => s.set_read_timeout(timeout).and_then(|()| s.set_write_timeout(timeout)),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => s.sock.set_read_timeout(timeout).and_then(|()| s.sock.set_write_timeout(timeout)),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            #[cfg(unix)]
            Stream::Unix(s) => s.read(buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            #[cfg(unix)]
            Stream::Unix(s) => s.write(buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.flush(),
            #[cfg(unix)]
            Stream::Unix(s) => s.flush(),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// An error the server reported (an ErrorResponse), with the fields Quarry passes on.
#[derive(Debug, Clone, Default)]
pub(crate) struct ServerError {
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) detail: Option<String>,
    pub(crate) constraint: Option<String>,
    pub(crate) table: Option<String>,
    pub(crate) column: Option<String>,
    /// The server's source routine that raised it (never translated, unlike the message).
    pub(crate) routine: Option<String>,
}

impl ServerError {
    fn parse(body: &backend::ErrorResponseBody) -> io::Result<ServerError> {
        let mut e = ServerError::default();
        let mut fields = body.fields();
        while let Some(field) = fields.next()? {
            let value = String::from_utf8_lossy(field.value_bytes()).into_owned();
            match field.type_() {
                b'C' => e.code = value,
                b'M' => e.message = value,
                b'D' => e.detail = Some(value),
                b'n' => e.constraint = Some(value),
                b't' => e.table = Some(value),
                b'c' => e.column = Some(value),
                b'R' => e.routine = Some(value),
                _ => {}
            }
        }
        Ok(e)
    }
}

/// How an exchange with the server failed.
#[derive(Debug)]
pub(crate) enum WireError {
    /// The socket failed or closed: the connection is gone.
    Io(io::Error),
    /// The server refused the statement; the connection is usable.
    Server(Box<ServerError>),
    /// A value could not be bound (out of range for the parameter's type); nothing was sent.
    Bind(String),
    /// A row could not be decoded; the rest of the reply was read.
    Row(crate::result::Error),
    /// The server sent what the protocol does not allow here.
    Protocol(String),
}

impl From<io::Error> for WireError {
    fn from(e: io::Error) -> Self {
        WireError::Io(e)
    }
}

/// A statement prepared on the server: its name, its parameters' types and its columns.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) name: String,
    /// Its SQL, for errors and the instrumentation.
    pub(crate) sql: String,
    pub(crate) params: Vec<Type>,
    pub(crate) columns: Vec<Column>,
}

/// A result column.
#[derive(Debug)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) ty: Type,
}

/// One data row, in place in the receive buffer: its body and where each value lies in it.
pub(crate) struct RowBytes<'a> {
    pub(crate) body: &'a [u8],
    /// Start and end of each value in `body`; `None` for NULL.
    pub(crate) values: &'a [Option<(u32, u32)>],
}

/// What an earlier exchange left unfinished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Nothing,
    /// A Sync was sent: read up to the ReadyForQuery.
    Ready,
    /// A portal's Execute (and Flush) was sent: its rows are on their way.
    Portal,
    /// The portal stopped at its row limit and waits for the next Execute.
    Suspended,
    /// The server is in COPY IN mode, waiting for rows.
    CopyIn,
}

/// The protocol the exchange under way speaks: what a CopyInResponse nobody asked for is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exchange {
    /// A simple query: CopyFail ends it.
    Simple,
    /// The extended protocol: CopyFail, then a Sync (the server ignored the one sent while it copied).
    Extended,
    /// `copy_in`'s own COPY.
    Copy,
}

/// The receive buffer: bytes `start..end` of `data` are read and not yet consumed.
struct ReadBuf {
    data: Vec<u8>,
    start: usize,
    end: usize,
}

impl ReadBuf {
    fn bytes(&self) -> &[u8] {
        &self.data[self.start..self.end]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.end {
            (self.start, self.end) = (0, 0);
            if self.data.len() > 4 * BUFFER {
                self.data = vec![0; BUFFER];
            }
        }
    }

    /// Reads what the socket holds now, without waiting, growing the buffer as needed.
    fn take_available(&mut self, stream: &mut Stream) -> io::Result<()> {
        stream.set_nonblocking(true)?;
        let taken = loop {
            if self.end == self.data.len() {
                self.data.resize(self.data.len() * 2, 0);
            }
            match stream.read(&mut self.data[self.end..]) {
                Ok(0) => break Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection")),
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        stream.set_nonblocking(false)?;
        taken
    }

    /// Reads more bytes, with room for a message of `need` bytes from `start`.
    fn fill(&mut self, stream: &mut Stream, need: usize) -> io::Result<()> {
        if self.data.len() - self.start < need.max(BUFFER / 2) || self.end == self.data.len() {
            self.data.copy_within(self.start..self.end, 0);
            (self.start, self.end) = (0, self.end - self.start);
            if self.data.len() < need {
                self.data.resize(need.next_power_of_two(), 0);
            }
        }
        loop {
            match stream.read(&mut self.data[self.end..]) {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection")),
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// A connection's protocol state.
pub(crate) struct Wire {
    stream: Stream,
    read: ReadBuf,
    write: BytesMut,
    /// The transaction status of the last ReadyForQuery: `I` idle, `T` in a block, `E` in a failed block.
    status: u8,
    pending: Pending,
    exchange: Exchange,
    /// Why the socket failed, once it has: every later exchange is refused at once.
    broken: Option<String>,
    /// Where each value of the current row lies (reused from row to row).
    values: Vec<Option<(u32, u32)>>,
    /// Types the server defined beyond the built-in ones (enums, domains, extensions), by OID.
    types: std::collections::HashMap<u32, Type>,
    /// Statements to close on the server before the next one is prepared.
    to_close: Vec<String>,
    next_statement: u64,
    /// The longest message length taken (shorter while logging in).
    max_message: usize,
    /// Quarry's own `BEGIN` and `SAVEPOINT`s, written but not sent: they go with the next exchange, in
    /// the same write, which saves a round trip per transaction.
    deferred: BytesMut,
    deferred_count: usize,
    /// Where the connection went and the key the server gave for cancelling its queries.
    cancel: Option<CancelTarget>,
    /// Where it went (for the key, which comes later).
    target: Option<(Config, Host, u16)>,
    /// What the server reported of `default_transaction_read_only` and `in_hot_standby` (ParameterStatus),
    /// for `target_session_attrs`.
    pub(crate) read_only: Option<bool>,
    pub(crate) hot_standby: Option<bool>,
    /// The notices and warnings the server sent (`RAISE NOTICE`, ..), severity and message, until the
    /// connection takes them (at most [`MAX_NOTICES`] kept).
    pub(crate) notices: Vec<(String, String)>,
}

/// At most this many notices wait to be taken; later ones are dropped.
const MAX_NOTICES: usize = 100;

/// What cancelling a connection's running query takes: a new connection to the same server, the same
/// TLS, and the key the server gave (BackendKeyData).
#[derive(Clone)]
pub(crate) struct CancelTarget {
    config: Config,
    host: Host,
    port: u16,
    process_id: i32,
    secret_key: i32,
}

impl CancelTarget {
    /// Sends the CancelRequest on a connection of its own; the server answers nothing and closes it.
    pub(crate) fn send(&self) -> Result<(), ConnectionError> {
        let (config, host, port) = (&self.config, &self.host, self.port);
        let stream = open(config, host, port)?;
        stream
            .set_timeout(config.connect_timeout.or(Some(std::time::Duration::from_secs(10))))
            .map_err(|e| bad(config, host, port, e))?;
        let mut stream = Wire::negotiate_tls(config, host, port, stream)?;
        let mut request = BytesMut::new();
        frontend::cancel_request(self.process_id, self.secret_key, &mut request);
        stream.write_all(&request).and_then(|()| stream.flush()).map_err(|e| bad(config, host, port, e))?;
        // The server closes the connection when it has read the request: wait for that, so the cancel has
        // arrived when this returns.
        let mut end = [0u8; 1];
        let _ = stream.read(&mut end);
        Ok(())
    }
}

impl Drop for Wire {
    fn drop(&mut self) {
        if self.broken.is_none() {
            self.write.clear();
            frontend::terminate(&mut self.write);
            let _ = self.stream.write_all(&self.write);
        }
    }
}

fn bad(config: &Config, host: &Host, port: u16, why: impl std::fmt::Display) -> ConnectionError {
    ConnectionError::BadConnection(format!("{}: {why}", config.describe(host, port)))
}

fn protocol(what: impl Into<String>) -> WireError {
    WireError::Protocol(what.into())
}

/// Opens the socket to `host`.
fn open(config: &Config, host: &Host, port: u16) -> Result<Stream, ConnectionError> {
    match host {
        Host::Tcp(name) | Host::Addr { addr: name, .. } => {
            let addrs = (name.as_str(), port).to_socket_addrs().map_err(|e| bad(config, host, port, e))?;
            let mut last = None;
            for addr in addrs {
                let stream = match config.connect_timeout {
                    Some(timeout) => TcpStream::connect_timeout(&addr, timeout),
                    None => TcpStream::connect(addr),
                };
                match stream {
                    Ok(stream) => {
                        stream.set_nodelay(true).map_err(|e| bad(config, host, port, e))?;
                        return Ok(Stream::Tcp(stream));
                    }
                    Err(e) => last = Some(e),
                }
            }
            Err(bad(config, host, port, last.map_or("the name has no address".to_owned(), |e| e.to_string())))
        }
        #[cfg(unix)]
        Host::Unix(dir) => std::os::unix::net::UnixStream::connect(format!("{dir}/.s.PGSQL.{port}"))
            .map(Stream::Unix)
            .map_err(|e| bad(config, host, port, e)),
        #[cfg(not(unix))]
        Host::Unix(_) => Err(bad(config, host, port, "Unix sockets are not available on this system")),
    }
}

impl Wire {
    /// Connects to the first of the config's hosts that answers and is of the kind `target_session_attrs`
    /// asks for, and logs in.
    pub(crate) fn connect(config: &Config) -> Result<Wire, ConnectionError> {
        Wire::connect_resolving(config, &|name, port| (name, port).to_socket_addrs().map(Iterator::collect))
    }

    /// [`connect`](Self::connect), host names resolved by `resolve`. A name with several addresses is
    /// tried address by address, as libpq does: the next when one does not answer, refuses the login or is
    /// not of the kind `target_session_attrs` asks for.
    fn connect_resolving(
        config: &Config,
        resolve: &dyn Fn(&str, u16) -> io::Result<Vec<std::net::SocketAddr>>,
    ) -> Result<Wire, ConnectionError> {
        use super::config::SessionAttrs;
        let mut last = None;
        let mut kept: Option<Wire> = None;
        let places = config.targets().into_iter().flat_map(|(host, port)| match &host {
            Host::Tcp(name) if name.parse::<std::net::IpAddr>().is_err() => match resolve(name, port) {
                Ok(addrs) if addrs.len() > 1 => addrs
                    .into_iter()
                    .map(|a| Ok((Host::Addr { addr: a.ip().to_string(), name: name.clone() }, a.port())))
                    .collect::<Vec<_>>(),
                Ok(_) => vec![Ok((host, port))],
                Err(e) => vec![Err(bad(config, &host, port, e))],
            },
            _ => vec![Ok((host, port))],
        });
        for place in places {
            let (host, port) = match place {
                Ok(place) => place,
                Err(e) => {
                    last = Some(e);
                    continue;
                }
            };
            let wire = match Wire::connect_to(config, &host, port) {
                Ok(wire) => wire,
                Err(e) => {
                    last = Some(e);
                    continue;
                }
            };
            let mut wire = wire;
            if config.session_attrs != SessionAttrs::Any && (wire.read_only.is_none() || wire.hot_standby.is_none()) {
                // A server before PostgreSQL 14 reports neither: asked, as libpq does.
                let asked = wire.simple_rows(
                    "SELECT pg_catalog.pg_is_in_recovery()::text, pg_catalog.current_setting('transaction_read_only')",
                );
                match asked.as_deref() {
                    Ok([row]) => {
                        wire.hot_standby = Some(row.first().and_then(Option::as_deref) == Some("true"));
                        wire.read_only = Some(row.get(1).and_then(Option::as_deref) == Some("on"));
                    }
                    _ => {
                        last =
                            Some(bad(config, &host, port, "cannot ask whether it is read-only (target_session_attrs)"));
                        continue;
                    }
                }
            }
            let read_only = wire.read_only.unwrap_or(false) || wire.hot_standby.unwrap_or(false);
            let standby = wire.hot_standby.unwrap_or(false);
            let fits = match config.session_attrs {
                SessionAttrs::Any => true,
                SessionAttrs::ReadWrite => !read_only,
                SessionAttrs::ReadOnly => read_only,
                SessionAttrs::Primary => !standby,
                SessionAttrs::Standby | SessionAttrs::PreferStandby => standby,
            };
            if fits {
                return Ok(wire);
            }
            if config.session_attrs == SessionAttrs::PreferStandby && kept.is_none() {
                kept = Some(wire);
            }
            last =
                Some(bad(config, &host, port, format!("not {} (target_session_attrs)", config.session_attrs.wanted())));
        }
        // prefer-standby: a primary when no standby answered.
        if let Some(wire) = kept {
            return Ok(wire);
        }
        Err(last.unwrap_or_else(|| ConnectionError::InvalidConnectionUrl("no host to connect to".to_owned())))
    }

    fn connect_to(config: &Config, host: &Host, port: u16) -> Result<Wire, ConnectionError> {
        let user = config.user().ok_or_else(|| {
            ConnectionError::InvalidConnectionUrl("no user named, and the system's user is unknown".to_owned())
        })?;
        let stream = open(config, host, port)?;
        // The address reached, for the cancel request: a name with several addresses must not send it to
        // another server.
        let reached = match (&stream, host) {
            (Stream::Tcp(tcp), Host::Tcp(name) | Host::Addr { name, .. }) => {
                tcp.peer_addr().ok().map(|peer| Host::Addr { addr: peer.ip().to_string(), name: name.clone() })
            }
            _ => None,
        };
        // `connect_timeout` bounds the whole login, not only the TCP connection: a server that accepts
        // and never answers is an error too.
        stream.set_timeout(config.connect_timeout).map_err(|e| bad(config, host, port, e))?;
        let stream = Wire::negotiate_tls(config, host, port, stream)?;
        let mut wire = Wire {
            stream,
            read: ReadBuf { data: vec![0; BUFFER], start: 0, end: 0 },
            write: BytesMut::with_capacity(8 * 1024),
            status: b'I',
            pending: Pending::Nothing,
            exchange: Exchange::Simple,
            broken: None,
            values: Vec::new(),
            types: std::collections::HashMap::new(),
            to_close: Vec::new(),
            next_statement: 0,
            max_message: MAX_STARTUP_MESSAGE,
            deferred: BytesMut::new(),
            deferred_count: 0,
            cancel: None,
            target: None,
            notices: Vec::new(),
            read_only: None,
            hot_standby: None,
        };
        let failed = |e: WireError| match e {
            WireError::Server(e) => bad(config, host, port, &e.message),
            WireError::Io(e) => bad(config, host, port, e),
            WireError::Protocol(why) | WireError::Bind(why) => bad(config, host, port, why),
            WireError::Row(e) => bad(config, host, port, e),
        };
        let mut params = vec![("user", user.as_str()), ("client_encoding", "UTF8")];
        if let Some(db) = &config.dbname {
            params.push(("database", db));
        }
        if let Some(name) = &config.application_name {
            params.push(("application_name", name));
        }
        if let Some(options) = &config.options {
            params.push(("options", options));
        }
        frontend::startup_message(params.iter().copied(), &mut wire.write).map_err(|e| failed(e.into()))?;
        wire.send().map_err(|e| failed(e.into()))?;
        wire.authenticate(config, host, port, &user).map_err(|e| match e {
            Ok(why) => bad(config, host, port, why),
            Err(e) => failed(e),
        })?;
        // Parameter statuses and the key for cancelling, up to the first ReadyForQuery.
        let mut without_password = config.clone();
        without_password.password = None;
        wire.target = Some((without_password, reached.unwrap_or_else(|| host.clone()), port));
        wire.pending = Pending::Ready;
        wire.read_until_ready().map_err(failed)?;
        wire.max_message = MAX_MESSAGE;
        wire.stream.set_timeout(None).map_err(|e| bad(config, host, port, e))?;
        Ok(wire)
    }

    /// Asks for TLS as `sslmode` says; `Ok` with the stream to use.
    fn negotiate_tls(config: &Config, host: &Host, port: u16, stream: Stream) -> Result<Stream, ConnectionError> {
        let mode = config.tls.mode;
        let Stream::Tcp(mut tcp) = stream else {
            // A Unix socket is local: libpq does not encrypt it either.
            return Ok(stream);
        };
        if mode == SslMode::Disable || (mode == SslMode::Prefer && !cfg!(feature = "rustls")) {
            return Ok(Stream::Tcp(tcp));
        }
        if !cfg!(feature = "rustls") {
            return Err(ConnectionError::BadConnection(
                "TLS (sslmode=require, verify-ca, verify-full) needs quarry's `rustls` feature".to_owned(),
            ));
        }
        let mut request = BytesMut::new();
        frontend::ssl_request(&mut request);
        let mut answer = [0u8; 1];
        tcp.write_all(&request).and_then(|()| tcp.read_exact(&mut answer)).map_err(|e| bad(config, host, port, e))?;
        match answer[0] {
            b'S' => {}
            b'N' if mode == SslMode::Prefer => return Ok(Stream::Tcp(tcp)),
            b'N' => return Err(bad(config, host, port, "the server does not accept TLS connections")),
            _ => return Err(bad(config, host, port, "the server answered the TLS request with an error")),
        }
        #[cfg(feature = "rustls")]
        {
            let tls_config = super::tls::rustls_tls::client_config(&config.tls)?;
            let name = match host {
                Host::Tcp(name) | Host::Addr { name, .. } => name.clone(),
                Host::Unix(_) => "localhost".to_owned(),
            };
            let server_name = rustls::pki_types::ServerName::try_from(name)
                .map_err(|e| bad(config, host, port, format!("TLS: {e}")))?;
            let connection = rustls::ClientConnection::new(std::sync::Arc::new(tls_config), server_name)
                .map_err(|e| bad(config, host, port, format!("TLS: {e}")))?;
            let mut tls = rustls::StreamOwned::new(connection, tcp);
            // The handshake, now, so that a refused certificate is reported as such.
            while tls.conn.is_handshaking() {
                tls.conn.complete_io(&mut tls.sock).map_err(|e| bad(config, host, port, format!("TLS: {e}")))?;
            }
            Ok(Stream::Tls(Box::new(tls)))
        }
        #[cfg(not(feature = "rustls"))]
        unreachable!("checked above")
    }

    /// Answers the server's authentication requests up to AuthenticationOk. `Err(Ok(why))` for what this
    /// side refuses, `Err(Err(e))` for what the server or the socket did.
    fn authenticate(
        &mut self,
        config: &Config,
        host: &Host,
        port: u16,
        user: &str,
    ) -> Result<(), Result<String, WireError>> {
        // The password given, else the password file's (read once the server asks for one).
        let from_file = std::cell::OnceCell::new();
        // An empty password counts as none, as libpq has it.
        let password = || match config.password.as_ref().filter(|p| !p.is_empty()) {
            Some(password) => Ok(password.clone()),
            None => match from_file.get_or_init(|| config.password_from_file(host, port, user)) {
                Ok(Some(password)) => Ok(password.clone()),
                Ok(None) => Err(Ok("the server asks for a password, and none was given".to_owned())),
                Err(why) => Err(Ok(format!("the server asks for a password, and none was given ({why})"))),
            },
        };
        let mut scram: Option<ScramSha256> = None;
        let mut scram_proved = false;
        loop {
            match self.message().map_err(Err)? {
                // A server that began SCRAM must prove it knows the password before it lets the client in.
                backend::Message::AuthenticationOk if scram.is_some() && !scram_proved => {
                    return Err(Ok("SCRAM: the server skipped its proof of the password".to_owned()));
                }
                backend::Message::AuthenticationOk => return Ok(()),
                backend::Message::AuthenticationCleartextPassword => {
                    frontend::password_message(password()?.as_bytes(), &mut self.write).map_err(|e| Err(e.into()))?;
                }
                backend::Message::AuthenticationMd5Password(body) => {
                    let hash = postgres_protocol::authentication::md5_hash(
                        user.as_bytes(),
                        password()?.as_bytes(),
                        body.salt(),
                    );
                    frontend::password_message(hash.as_bytes(), &mut self.write).map_err(|e| Err(e.into()))?;
                }
                backend::Message::AuthenticationSasl(body) => {
                    let mut mechanisms = body.mechanisms();
                    let mut offered = false;
                    while let Some(m) = mechanisms.next().map_err(|e| Err(e.into()))? {
                        offered |= m == sasl::SCRAM_SHA_256;
                    }
                    if !offered {
                        return Err(Ok("the server offers no SASL mechanism Quarry has (SCRAM-SHA-256)".to_owned()));
                    }
                    // Without channel binding ("n"): the server accepts it, over TLS too.
                    let client = ScramSha256::new(password()?.as_bytes(), ChannelBinding::unsupported());
                    frontend::sasl_initial_response(sasl::SCRAM_SHA_256, client.message(), &mut self.write)
                        .map_err(|e| Err(e.into()))?;
                    scram = Some(client);
                }
                backend::Message::AuthenticationSaslContinue(body) => {
                    let client = scram.as_mut().ok_or_else(|| Err(protocol("a SASL step out of order")))?;
                    client.update(body.data()).map_err(|e| Ok(format!("SCRAM: {e}")))?;
                    frontend::sasl_response(client.message(), &mut self.write).map_err(|e| Err(e.into()))?;
                }
                backend::Message::AuthenticationSaslFinal(body) => {
                    let client = scram.as_mut().ok_or_else(|| Err(protocol("a SASL step out of order")))?;
                    client.finish(body.data()).map_err(|e| Ok(format!("SCRAM: the server's proof: {e}")))?;
                    scram_proved = true;
                    continue;
                }
                backend::Message::ErrorResponse(body) => {
                    let e = ServerError::parse(&body).map_err(|e| Err(e.into()))?;
                    return Err(Err(WireError::Server(Box::new(e))));
                }
                _ => return Err(Ok("the server asks for an authentication method Quarry lacks".to_owned())),
            }
            self.send().map_err(|e| Err(e.into()))?;
        }
    }

    /// The transaction status of the last ReadyForQuery: `I`, `T` or `E`; `T` once a `BEGIN` waits to
    /// be sent.
    pub(crate) fn status(&self) -> u8 {
        if self.deferred_count > 0 && self.status == b'I' { b'T' } else { self.status }
    }

    /// Sends `sql` (one of Quarry's own statements that begin a transaction or a savepoint, whose
    /// failure the next statement can report) with the next exchange.
    pub(crate) fn defer(&mut self, sql: &str) -> Result<(), WireError> {
        self.check_usable()?;
        frontend::query(sql, &mut self.deferred)?;
        self.deferred_count += 1;
        Ok(())
    }

    /// Puts the deferred statements in front of what is written; how many.
    fn attach_deferred(&mut self) -> usize {
        if self.deferred_count == 0 {
            return 0;
        }
        let rest = self.write.split();
        self.write.extend_from_slice(&self.deferred);
        self.write.extend_from_slice(&rest);
        self.deferred.clear();
        std::mem::take(&mut self.deferred_count)
    }

    /// Reads the replies to `count` deferred statements, sent ahead of the exchange under way. If one
    /// failed, the exchange is read to its end and that failure returned in its place.
    fn read_deferred(&mut self, count: usize) -> Result<(), WireError> {
        let mut failure = None;
        for _ in 0..count {
            loop {
                let (tag, len) = match self.next() {
                    Ok(next) => next,
                    Err(e) => return Err(failure.unwrap_or(e)),
                };
                match tag {
                    b'Z' => {
                        self.status = self.read.bytes().get(5).copied().unwrap_or(b'I');
                        self.read.consume(len);
                        break;
                    }
                    b'E' => {
                        let e = self.server_error(len);
                        failure.get_or_insert(e);
                    }
                    b'N' => {
                        self.take_notice(len);
                        self.read.consume(len);
                    }
                    _ => self.read.consume(len),
                }
            }
        }
        match failure {
            None => Ok(()),
            Some(e) => {
                self.settle()?;
                Err(e)
            }
        }
    }

    /// Why the connection is gone, once it is.
    pub(crate) fn broken(&self) -> Option<&str> {
        self.broken.as_deref()
    }

    fn check_usable(&self) -> Result<(), WireError> {
        match &self.broken {
            Some(why) => Err(WireError::Io(io::Error::new(io::ErrorKind::NotConnected, why.clone()))),
            None => Ok(()),
        }
    }

    /// Notes a failed socket, or a message that does not parse (the two sides are out of step): the
    /// connection is not used again.
    fn fail<T>(&mut self, e: io::Error) -> Result<T, WireError> {
        self.broken.get_or_insert_with(|| e.to_string());
        Err(WireError::Io(e))
    }

    /// Sends what is written.
    fn send(&mut self) -> io::Result<()> {
        let sent = self.stream.write_all(&self.write).and_then(|()| self.stream.flush());
        self.write.clear();
        if let Err(e) = &sent {
            self.broken.get_or_insert_with(|| e.to_string());
        }
        sent
    }

    /// The tag and length (tag included) of the next message, whole in the buffer.
    #[inline]
    fn next(&mut self) -> Result<(u8, usize), WireError> {
        loop {
            let bytes = self.read.bytes();
            if bytes.len() >= 5 {
                let len = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize;
                if len < 4 || len > self.max_message {
                    let e = io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("the server sent a message of {len} bytes: is it a PostgreSQL server?"),
                    );
                    return self.fail(e);
                }
                if bytes.len() > len {
                    if bytes[0] == b'G' && self.exchange != Exchange::Copy {
                        self.refuse_copy_in(len + 1)?;
                        continue;
                    }
                    return Ok((bytes[0], len + 1));
                }
            }
            let need = if bytes.len() >= 5 {
                u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize + 1
            } else {
                5
            };
            if let Err(e) = self.read.fill(&mut self.stream, need) {
                return self.fail(e);
            }
        }
    }

    /// Answers a CopyInResponse to a statement run other than by `copy_in` (`COPY .. FROM STDIN` through
    /// `sql_query` or `batch_execute`): the server would wait for rows while this side waits for its reply.
    #[cold]
    fn refuse_copy_in(&mut self, len: usize) -> Result<(), WireError> {
        self.read.consume(len);
        frontend::copy_fail("COPY FROM STDIN takes its rows from `quarry::copy_from`", &mut self.write)?;
        if self.exchange == Exchange::Extended {
            frontend::sync(&mut self.write);
            self.pending = Pending::Ready;
        }
        self.send()?;
        Ok(())
    }

    /// The next message, parsed (for the rare ones); notices are kept ([`Self::take_notice`]), parameter
    /// statuses and notifications skipped.
    fn message(&mut self) -> Result<backend::Message, WireError> {
        loop {
            let (tag, len) = self.next()?;
            if matches!(tag, b'N' | b'S' | b'A') {
                if tag == b'N' {
                    self.take_notice(len);
                }
                self.read.consume(len);
                continue;
            }
            let mut one = BytesMut::from(&self.read.bytes()[..len]);
            self.read.consume(len);
            return match backend::Message::parse(&mut one) {
                Ok(Some(message)) => Ok(message),
                Ok(None) => Err(protocol("a message cut short")),
                Err(e) => Err(protocol(format!("a message that does not parse: {e}"))),
            };
        }
    }

    /// The ErrorResponse at the head of the buffer, consumed.
    fn server_error(&mut self, len: usize) -> WireError {
        let mut one = BytesMut::from(&self.read.bytes()[..len]);
        self.read.consume(len);
        match backend::Message::parse(&mut one) {
            Ok(Some(backend::Message::ErrorResponse(body))) => match ServerError::parse(&body) {
                Ok(e) => WireError::Server(Box::new(e)),
                Err(e) => protocol(format!("an error message that does not parse: {e}")),
            },
            _ => protocol("an error message that does not parse"),
        }
    }

    /// Takes the ReadyForQuery at the head of the buffer, which ends the exchange, and its transaction status.
    fn take_ready(&mut self, len: usize) {
        self.status = self.read.bytes().get(5).copied().unwrap_or(b'I');
        self.read.consume(len);
        self.pending = Pending::Nothing;
    }

    /// Keeps the NoticeResponse at the head of the buffer: its severity (`V`, else `S`) and message (`M`).
    fn take_notice(&mut self, len: usize) {
        if self.notices.len() >= MAX_NOTICES {
            return;
        }
        let (mut severity, mut message) = (String::new(), String::new());
        let mut body = &self.read.bytes()[5..len];
        while let [kind, rest @ ..] = body {
            if *kind == 0 {
                break;
            }
            let end = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
            let value = String::from_utf8_lossy(&rest[..end]).into_owned();
            match kind {
                b'V' => severity = value,
                b'S' if severity.is_empty() => severity = value,
                b'M' => message = value,
                _ => {}
            }
            body = rest.get(end + 1..).unwrap_or_default();
        }
        self.notices.push((severity, message));
    }

    /// Notes a ParameterStatus at the head of the buffer that `target_session_attrs` asks about.
    fn take_parameter(&mut self, len: usize) {
        let body = &self.read.bytes()[5..len];
        let mut parts = body.split(|b| *b == 0);
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else { return };
        let on = value == b"on";
        match name {
            b"default_transaction_read_only" => self.read_only = Some(on),
            b"in_hot_standby" => self.hot_standby = Some(on),
            _ => {}
        }
    }

    /// Keeps the BackendKeyData at the head of the buffer (process id, secret key), for cancelling.
    fn take_cancel_key(&mut self, len: usize) {
        let body = &self.read.bytes()[5..len];
        if body.len() < 8 {
            return;
        }
        if let Some((config, host, port)) = self.target.take() {
            let word = |b: &[u8]| i32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            let (process_id, secret_key) = (word(&body[..4]), word(&body[4..8]));
            self.cancel = Some(CancelTarget { config, host, port, process_id, secret_key });
        }
    }

    /// What cancelling this connection's running query takes, when the server gave a key.
    pub(crate) fn cancel_target(&self) -> Option<CancelTarget> {
        self.cancel.clone()
    }

    /// Reads up to the ReadyForQuery that ends the exchange, keeping the first error.
    fn read_until_ready(&mut self) -> Result<(), WireError> {
        self.read_reply(|_| Ok(())).map(|_| ())
    }

    /// Reads an exchange's reply up to its ReadyForQuery: each data row to `row` (until one fails: the rest
    /// are read and dropped), the first error kept and returned once the reply is read whole; else the row
    /// count of the last CommandComplete.
    #[inline]
    fn read_reply<F>(&mut self, mut row: F) -> Result<u64, WireError>
    where
        F: FnMut(RowBytes<'_>) -> crate::result::QueryResult<()>,
    {
        let mut failure: Option<WireError> = None;
        let mut affected = 0;
        loop {
            let (tag, len) = match self.next() {
                Ok(next) => next,
                // The server's own error (a terminated backend's) says more than the closed socket.
                Err(e) => return Err(failure.filter(|f| matches!(f, WireError::Server(_))).unwrap_or(e)),
            };
            match tag {
                b'D' => {
                    if failure.is_none() {
                        let values = self.row_values(len)?;
                        let body = &self.read.bytes()[5..len];
                        if let Err(e) = row(RowBytes { body, values: &values }) {
                            failure = Some(WireError::Row(e));
                        }
                        self.values = values;
                    }
                    self.read.consume(len);
                }
                b'C' => {
                    affected = command_count(&self.read.bytes()[5..len]);
                    self.read.consume(len);
                }
                b'E' => {
                    let e = self.server_error(len);
                    failure.get_or_insert(e);
                }
                b'Z' => {
                    self.take_ready(len);
                    return failure.map_or(Ok(affected), Err);
                }
                b'K' => {
                    self.take_cancel_key(len);
                    self.read.consume(len);
                }
                b'N' => {
                    self.take_notice(len);
                    self.read.consume(len);
                }
                b'S' => {
                    self.take_parameter(len);
                    self.read.consume(len);
                }
                _ => self.read.consume(len),
            }
        }
    }

    /// Finishes what an earlier exchange left (a panic while reading, a dropped iterator), so the next
    /// one starts clean; an error only if the socket failed.
    pub(crate) fn settle(&mut self) -> Result<(), WireError> {
        self.check_usable()?;
        loop {
            match self.pending {
                Pending::Nothing => return Ok(()),
                Pending::Ready => {
                    return match self.read_until_ready() {
                        Err(e @ WireError::Io(_)) => Err(e),
                        _ => Ok(()),
                    };
                }
                Pending::Portal => loop {
                    let (tag, len) = self.next()?;
                    self.read.consume(len);
                    if self.pending != Pending::Portal {
                        break;
                    }
                    if matches!(tag, b's' | b'C' | b'E' | b'I') {
                        self.pending = Pending::Suspended;
                        break;
                    }
                },
                Pending::CopyIn => {
                    frontend::copy_fail("the COPY was abandoned", &mut self.write)?;
                    self.pending = Pending::Ready;
                    self.send()?;
                }
                Pending::Suspended => {
                    frontend::sync(&mut self.write);
                    self.pending = Pending::Ready;
                    self.send()?;
                }
            }
        }
    }

    /// Prepares `sql` with the parameter types given (`UNKNOWN` ones left to the server), and learns the
    /// types of its parameters and columns.
    pub(crate) fn prepare(&mut self, sql: &str, types: &[Type]) -> Result<Prepared, WireError> {
        self.settle()?;
        for name in std::mem::take(&mut self.to_close) {
            frontend::close(b'S', &name, &mut self.write)?;
        }
        self.exchange = Exchange::Extended;
        if types.len() > usize::from(u16::MAX) {
            return Err(WireError::Bind(format!("{} parameters, past PostgreSQL's 65,535", types.len())));
        }
        let name = format!("quarry_{}", self.next_statement);
        self.next_statement += 1;
        let mark = self.write.len();
        let written = frontend::parse(&name, sql, types.iter().map(Type::oid), &mut self.write)
            .and_then(|()| frontend::describe(b'S', &name, &mut self.write));
        if let Err(e) = written {
            self.write.truncate(mark);
            return Err(WireError::Bind(format!("the statement cannot be sent: {e}")));
        }
        frontend::sync(&mut self.write);
        self.pending = Pending::Ready;
        let deferred = self.attach_deferred();
        self.send()?;
        self.read_deferred(deferred)?;
        let mut params = Vec::new();
        let mut columns = Vec::new();
        let mut failure = None;
        loop {
            match self.message() {
                Ok(backend::Message::ParameterDescription(body)) => {
                    params = body.parameters().collect().or_else(|e| self.fail(e))?;
                }
                Ok(backend::Message::RowDescription(body)) => {
                    let mut fields = body.fields();
                    while let Some(field) = fields.next().or_else(|e| self.fail(e))? {
                        columns.push((field.name().to_owned(), field.type_oid()));
                    }
                }
                Ok(backend::Message::ErrorResponse(body)) => {
                    let e = ServerError::parse(&body).or_else(|e| self.fail(e))?;
                    failure.get_or_insert(WireError::Server(Box::new(e)));
                }
                Ok(backend::Message::ReadyForQuery(body)) => {
                    self.status = body.status();
                    self.pending = Pending::Nothing;
                    break;
                }
                Ok(_) => {}
                Err(e) => return Err(failure.unwrap_or(e)),
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        let params = params.into_iter().map(|oid| self.type_of(oid, 0)).collect::<Result<_, _>>()?;
        let columns = columns
            .into_iter()
            .map(|(name, oid)| Ok(Column { name, ty: self.type_of(oid, 0)? }))
            .collect::<Result<_, WireError>>()?;
        Ok(Prepared { name, sql: sql.to_owned(), params, columns })
    }

    /// Closes `name` on the server, with the next statement prepared.
    pub(crate) fn close_later(&mut self, name: String) {
        self.to_close.push(name);
    }

    /// The type of `oid`: a built-in one, else asked of the server once (an enum, a domain, an
    /// extension's type, an array of one of those).
    fn type_of(&mut self, oid: u32, depth: u32) -> Result<Type, WireError> {
        if let Some(ty) = Type::from_oid(oid) {
            return Ok(ty);
        }
        if let Some(ty) = self.types.get(&oid) {
            return Ok(ty.clone());
        }
        if depth > 8 {
            return Err(protocol(format!("the type {oid} is nested past 8 levels")));
        }
        let rows = self.simple_rows(&format!(
            "SELECT t.typname, n.nspname, t.typtype, t.typbasetype, t.typelem, t.typcategory \
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
             WHERE t.oid = {oid}"
        ))?;
        let row = rows.into_iter().next().ok_or_else(|| protocol(format!("the server has no type {oid}")))?;
        let field = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let number = |i: usize| field(i).parse::<u32>().unwrap_or(0);
        let kind = match (field(2).as_str(), field(5).as_str()) {
            ("e", _) => Kind::Enum(Vec::new()),
            ("d", _) => Kind::Domain(self.type_of(number(3), depth + 1)?),
            (_, "A") if number(4) != 0 => Kind::Array(self.type_of(number(4), depth + 1)?),
            _ => Kind::Simple,
        };
        let ty = Type::new(field(0), oid, kind, field(1));
        self.types.insert(oid, ty.clone());
        Ok(ty)
    }

    /// Runs `sql` with the simple query protocol: its rows as text, the first error if any. A `COPY ..
    /// FROM STDIN` in it is refused (`copy_from` writes rows), one `TO STDOUT` read and dropped.
    pub(crate) fn simple_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, WireError> {
        self.settle()?;
        self.exchange = Exchange::Simple;
        frontend::query(sql, &mut self.write)?;
        self.pending = Pending::Ready;
        let deferred = self.attach_deferred();
        self.send()?;
        self.read_deferred(deferred)?;
        let mut rows = Vec::new();
        self.read_reply(|row| {
            let text = |r: &Option<(u32, u32)>| {
                r.map(|(a, b)| String::from_utf8_lossy(&row.body[a as usize..b as usize]).into_owned())
            };
            rows.push(row.values.iter().map(text).collect());
            Ok(())
        })?;
        Ok(rows)
    }

    /// Where each value of the DataRow at the head of the buffer lies in its body (after the 5-byte
    /// header), in the vector of the last row, taken.
    #[inline]
    fn row_values(&mut self, len: usize) -> Result<Vec<Option<(u32, u32)>>, WireError> {
        let body = &self.read.bytes()[5..len];
        let mut values = std::mem::take(&mut self.values);
        values.clear();
        let count = body.get(..2).map_or(0, |b| u16::from_be_bytes([b[0], b[1]]) as usize);
        let mut at = 2usize;
        for _ in 0..count {
            let size = body.get(at..at + 4).ok_or_else(|| protocol("a data row cut short"))?;
            let size = i32::from_be_bytes([size[0], size[1], size[2], size[3]]);
            at += 4;
            if size < 0 {
                values.push(None);
            } else {
                let end = at + size as usize;
                if end > body.len() {
                    return Err(protocol("a data row cut short"));
                }
                values.push(Some((at as u32, end as u32)));
                at = end;
            }
        }
        Ok(values)
    }

    /// Writes Bind for `stmt` with `binds` into the unnamed portal, results in binary. Nothing is
    /// written when a value cannot be bound.
    fn write_bind(&mut self, stmt: &Prepared, binds: &[PgBind]) -> Result<(), WireError> {
        if binds.len() != stmt.params.len() {
            return Err(WireError::Bind(format!(
                "the query bound {} values for {} parameters",
                binds.len(),
                stmt.params.len()
            )));
        }
        let mark = self.write.len();
        let formats = binds.iter().zip(&stmt.params).map(|(b, ty)| match b.encode_format(ty) {
            postgres_types::Format::Text => 0,
            postgres_types::Format::Binary => 1,
        });
        let values = binds.iter().zip(&stmt.params);
        let written = frontend::bind(
            "",
            &stmt.name,
            formats,
            values,
            |(bind, ty), out| match bind.to_sql(ty, out)? {
                postgres_types::IsNull::Yes => Ok(postgres_protocol::IsNull::Yes),
                postgres_types::IsNull::No => Ok(postgres_protocol::IsNull::No),
            },
            [1],
            &mut self.write,
        );
        match written {
            Ok(()) => Ok(()),
            Err(e) => {
                self.write.truncate(mark);
                Err(WireError::Bind(match e {
                    frontend::BindError::Conversion(e) => e.to_string(),
                    frontend::BindError::Serialization(e) => e.to_string(),
                }))
            }
        }
    }

    /// Runs `stmt` with `binds`, handing each row to `row` as it arrives; the number of rows the
    /// statement affected (or returned). After a row fails, the rest are read and dropped and that
    /// failure is returned.
    #[inline]
    pub(crate) fn execute<F>(&mut self, stmt: &Prepared, binds: &[PgBind], row: F) -> Result<u64, WireError>
    where
        F: FnMut(RowBytes<'_>) -> crate::result::QueryResult<()>,
    {
        self.settle()?;
        self.exchange = Exchange::Extended;
        self.write_bind(stmt, binds)?;
        frontend::execute("", 0, &mut self.write)?;
        frontend::sync(&mut self.write);
        self.pending = Pending::Ready;
        let deferred = self.attach_deferred();
        self.send()?;
        self.read_deferred(deferred)?;
        self.read_reply(row)
    }

    /// Binds `stmt` into the unnamed portal and asks for its first rows; [`portal_next`](Self::portal_next)
    /// reads them.
    pub(crate) fn portal_start(&mut self, stmt: &Prepared, binds: &[PgBind]) -> Result<(), WireError> {
        self.settle()?;
        self.exchange = Exchange::Extended;
        self.write_bind(stmt, binds)?;
        frontend::execute("", PORTAL_ROWS, &mut self.write)?;
        frontend::flush(&mut self.write);
        self.pending = Pending::Portal;
        let deferred = self.attach_deferred();
        self.send()?;
        self.read_deferred(deferred)?;
        Ok(())
    }

    /// The portal's next row, decoded by `row`; `None` once it has no more (the exchange is then over).
    pub(crate) fn portal_next<U>(
        &mut self,
        mut row: impl FnMut(RowBytes<'_>) -> crate::result::QueryResult<U>,
    ) -> Option<Result<U, WireError>> {
        loop {
            match self.pending {
                Pending::Portal => {}
                // A Sync went out (a COPY refused): the exchange ends with the server's error.
                Pending::Ready => {
                    return self.read_until_ready().err().map(Err);
                }
                _ => return None,
            }
            let (tag, len) = match self.next() {
                Ok(next) => next,
                Err(e) => return Some(Err(e)),
            };
            match tag {
                b'D' => {
                    let values = match self.row_values(len) {
                        Ok(values) => values,
                        Err(e) => return Some(Err(e)),
                    };
                    let body = &self.read.bytes()[5..len];
                    let decoded = row(RowBytes { body, values: &values });
                    self.values = values;
                    self.read.consume(len);
                    return Some(decoded.map_err(WireError::Row));
                }
                b's' => {
                    self.read.consume(len);
                    frontend::execute("", PORTAL_ROWS, &mut self.write).ok()?;
                    frontend::flush(&mut self.write);
                    if let Err(e) = self.send() {
                        return Some(Err(e.into()));
                    }
                }
                b'C' | b'I' => {
                    self.read.consume(len);
                    if self.pending == Pending::Portal {
                        self.pending = Pending::Suspended;
                    }
                    return match self.settle() {
                        Ok(()) => None,
                        Err(e) => Some(Err(e)),
                    };
                }
                b'E' => {
                    let e = self.server_error(len);
                    if self.pending == Pending::Portal {
                        self.pending = Pending::Suspended;
                    }
                    return Some(match self.settle() {
                        Ok(()) => Err(e),
                        Err(io) => Err(io),
                    });
                }
                b'N' => {
                    self.take_notice(len);
                    self.read.consume(len);
                }
                _ => self.read.consume(len),
            }
        }
    }

    /// Runs `sql`, a `COPY .. FROM STDIN`, with `fill` sending the data through the function it is given.
    /// An error from `fill` aborts the COPY (nothing is written) and is returned.
    pub(crate) fn copy_in(
        &mut self,
        sql: &str,
        fill: impl FnOnce(&mut dyn FnMut(&[u8]) -> io::Result<()>) -> crate::result::QueryResult<()>,
    ) -> Result<u64, WireError> {
        self.settle()?;
        // A deferred BEGIN goes first, on its own: were it to fail, the server would be waiting for rows.
        let deferred = self.attach_deferred();
        if deferred > 0 {
            self.send()?;
            self.read_deferred(deferred)?;
        }
        self.exchange = Exchange::Copy;
        frontend::query(sql, &mut self.write)?;
        self.pending = Pending::Ready;
        self.send()?;
        loop {
            let (tag, len) = self.next()?;
            match tag {
                b'G' => {
                    self.read.consume(len);
                    // Until CopyDone or CopyFail: what a panic in `fill` leaves for `settle` to end.
                    self.pending = Pending::CopyIn;
                    break;
                }
                b'E' => {
                    let e = self.server_error(len);
                    return Err(self.read_until_ready().err().filter(|e| matches!(e, WireError::Io(_))).unwrap_or(e));
                }
                b'Z' => {
                    self.read_until_ready()?;
                    return Err(protocol("the statement is not a COPY .. FROM STDIN"));
                }
                b'N' => {
                    self.take_notice(len);
                    self.read.consume(len);
                }
                _ => self.read.consume(len),
            }
        }
        let filled = {
            let Wire { stream, write, broken, read, .. } = self;
            let mut send = |bytes: &[u8]| -> io::Result<()> {
                // What the server sent meanwhile (a trigger's notices, an early error), taken into the
                // buffer: a server blocked writing to a full socket would stop reading the rows.
                let drained = read.take_available(stream);
                if let Err(e) = &drained {
                    broken.get_or_insert_with(|| e.to_string());
                }
                drained?;
                write.clear();
                frontend::CopyData::new(bytes)?.write(write);
                let sent = stream.write_all(write);
                if let Err(e) = &sent {
                    broken.get_or_insert_with(|| e.to_string());
                }
                sent
            };
            fill(&mut send)
        };
        if let Some(why) = &self.broken {
            return Err(WireError::Io(io::Error::new(io::ErrorKind::BrokenPipe, why.clone())));
        }
        self.write.clear();
        match filled {
            Ok(()) => frontend::copy_done(&mut self.write),
            Err(_) => frontend::copy_fail("the rows could not be written", &mut self.write)?,
        }
        self.pending = Pending::Ready;
        self.send()?;
        let reply = self.read_reply(|_| Ok(()));
        match (filled, reply) {
            (Err(rows), _) => Err(WireError::Row(rows)),
            (Ok(()), reply) => reply,
        }
    }
}

/// The row count at the end of a CommandComplete tag (`INSERT 0 5`, `UPDATE 3`, `SELECT 10`); 0 when the
/// tag has none (`CREATE TABLE`).
fn command_count(body: &[u8]) -> u64 {
    let tag = body.strip_suffix(&[0]).unwrap_or(body);
    let last = tag.rsplit(|b| *b == b' ').next().unwrap_or_default();
    std::str::from_utf8(last).ok().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::command_count;

    #[test]
    fn command_tags_give_their_row_counts() {
        assert_eq!(command_count(b"INSERT 0 5\0"), 5);
        assert_eq!(command_count(b"UPDATE 3\0"), 3);
        assert_eq!(command_count(b"SELECT 10000\0"), 10000);
        assert_eq!(command_count(b"CREATE TABLE\0"), 0);
        assert_eq!(command_count(b"COPY 100000\0"), 100000);
    }
}

/// Logging in to a stand-in server that asks for a password in each of the ways PostgreSQL does (the
/// test server trusts every local connection, so these paths cannot be tried on it).
#[cfg(test)]
mod authentication {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::{Digest, Sha256};

    use super::Wire;
    use crate::pg::config::Config;
    use crate::result::ConnectionError;

    #[derive(Clone, Copy)]
    enum Method {
        Cleartext,
        Md5,
        Scram,
        /// SCRAM whose final message does not prove the server knows the password.
        ScramWithBadProof,
        /// SCRAM that lets the client in without the final message.
        ScramSkippingProof,
    }

    const PASSWORD: &str = "pa55 w\u{f6}rd";

    fn message(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    fn auth(code: u32, data: &[u8]) -> Vec<u8> {
        let mut body = code.to_be_bytes().to_vec();
        body.extend_from_slice(data);
        message(b'R', &body)
    }

    /// The client's next message; `None` once it hung up (as it does when it has no password to give).
    fn read_message(s: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
        let mut head = [0u8; 5];
        s.read_exact(&mut head).ok()?;
        let mut body = vec![0; u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize - 4];
        s.read_exact(&mut body).ok()?;
        Some((head[0], body))
    }

    fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// Checks the client's proof; the server's signature to send back, or `None` for a wrong password.
    fn scram(client_first: &str, server_first: &str, client_final: &str, salt: &[u8]) -> Option<String> {
        // Hi(): PBKDF2 with HMAC-SHA-256, 4096 rounds.
        let mut block = hmac(PASSWORD.as_bytes(), &[salt, &[0, 0, 0, 1]].concat());
        let mut salted = block.clone();
        for _ in 1..4096 {
            block = hmac(PASSWORD.as_bytes(), &block);
            salted.iter_mut().zip(&block).for_each(|(s, b)| *s ^= b);
        }
        let client_key = hmac(&salted, b"Client Key");
        let stored_key = Sha256::digest(&client_key).to_vec();
        let (without_proof, proof) = client_final.rsplit_once(",p=")?;
        let auth_message = format!("{},{server_first},{without_proof}", client_first.strip_prefix("n,,")?);
        let signature = hmac(&stored_key, auth_message.as_bytes());
        let proof = STANDARD.decode(proof).ok()?;
        let recovered: Vec<u8> = proof.iter().zip(&signature).map(|(p, s)| p ^ s).collect();
        (Sha256::digest(&recovered).to_vec() == stored_key).then(|| {
            let server_key = hmac(&salted, b"Server Key");
            STANDARD.encode(hmac(&server_key, auth_message.as_bytes()))
        })
    }

    /// Serves one login by `method`; the port to connect to.
    fn serve(method: Method) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut len = [0u8; 4];
            s.read_exact(&mut len).unwrap();
            let mut startup = vec![0; u32::from_be_bytes(len) as usize - 4];
            s.read_exact(&mut startup).unwrap();
            let user = startup[4..].split(|b| *b == 0).skip_while(|k| *k != b"user").nth(1).unwrap().to_vec();
            let refuse = |s: &mut TcpStream| {
                let body = b"SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"ann\"\0\0";
                let _ = s.write_all(&message(b'E', body));
            };
            let ok = match method {
                Method::Cleartext => {
                    s.write_all(&auth(3, b"")).unwrap();
                    let Some((_, body)) = read_message(&mut s) else { return };
                    body == [PASSWORD.as_bytes(), b"\0"].concat()
                }
                Method::Md5 => {
                    s.write_all(&auth(5, b"salt")).unwrap();
                    let Some((_, body)) = read_message(&mut s) else { return };
                    let expected = postgres_protocol::authentication::md5_hash(&user, PASSWORD.as_bytes(), *b"salt");
                    body == [expected.as_bytes(), b"\0"].concat()
                }
                Method::Scram | Method::ScramWithBadProof | Method::ScramSkippingProof => {
                    s.write_all(&auth(10, b"SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0")).unwrap();
                    let Some((_, body)) = read_message(&mut s) else { return };
                    let mechanism_end = body.iter().position(|b| *b == 0).unwrap();
                    assert_eq!(&body[..mechanism_end], b"SCRAM-SHA-256");
                    let client_first = String::from_utf8(body[mechanism_end + 5..].to_vec()).unwrap();
                    let nonce = client_first.split(",r=").nth(1).unwrap().to_owned();
                    let salt = b"sixteen byte salt";
                    let server_first = format!("r={nonce}srv,s={},i=4096", STANDARD.encode(salt));
                    s.write_all(&auth(11, server_first.as_bytes())).unwrap();
                    let Some((_, body)) = read_message(&mut s) else { return };
                    let client_final = String::from_utf8(body).unwrap();
                    match scram(&client_first, &server_first, &client_final, salt) {
                        Some(_) if matches!(method, Method::ScramSkippingProof) => true,
                        Some(signature) => {
                            let signature = match method {
                                Method::ScramWithBadProof => STANDARD.encode([7u8; 32]),
                                _ => signature,
                            };
                            s.write_all(&auth(12, format!("v={signature}").as_bytes())).unwrap();
                            true
                        }
                        None => false,
                    }
                }
            };
            if !ok {
                refuse(&mut s);
                return;
            }
            s.write_all(&auth(0, b"")).unwrap();
            s.write_all(&message(b'K', &[0, 0, 0, 1, 0, 0, 0, 2])).unwrap();
            s.write_all(&message(b'Z', b"I")).unwrap();
            let _ = read_message(&mut s);
        });
        port
    }

    fn connect(method: Method, password: Option<&str>) -> Result<Wire, ConnectionError> {
        let port = serve(method);
        let password = password.map_or(String::new(), |p| format!(" password='{p}'"));
        Wire::connect(&Config::parse_with_env(
            &format!("host=127.0.0.1 port={port} user=ann sslmode=disable{password}"),
            |_| None,
        )?)
    }

    #[test]
    fn each_password_method_logs_in_with_the_right_password() {
        for method in [Method::Cleartext, Method::Md5, Method::Scram] {
            let wire = connect(method, Some(PASSWORD)).unwrap();
            assert_eq!(wire.status(), b'I');
        }
    }

    #[test]
    fn a_wrong_or_missing_password_is_an_error_that_does_not_repeat_it() {
        for method in [Method::Cleartext, Method::Md5, Method::Scram] {
            let e = connect(method, Some("s3cret")).err().unwrap().to_string();
            assert!(e.contains("password authentication failed"), "{e}");
            assert!(!e.contains("s3cret"), "{e}");
            let e = connect(method, None).err().unwrap().to_string();
            assert!(e.contains("asks for a password"), "{e}");
        }
    }

    /// Without a password, the one in the password file (`passfile` or `PGPASSFILE`, libpq's format) for
    /// the host, port, database and user; a file others may read is not used, and the error says so.
    #[test]
    fn the_password_file_gives_the_password_when_none_is_given() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("quarry-pgpass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pgpass");
        let path = file.display().to_string();
        let write = |port: u16, mode: u32| {
            // Lines that do not match (another host, port or user, `a:nn` escaped) before the one that does;
            // a catch-all after it is not reached.
            let text = format!(
                "# comment\nother:{port}:*:ann:wrong\n127.0.0.1:1:*:ann:wrong\n127.0.0.1:{port}:*:a\\:nn:wrong\n\
                 127.0.0.1:{port}:*:ann:{}\n*:*:*:*:wrong\n",
                PASSWORD.replace('\\', "\\\\").replace(':', "\\:")
            );
            std::fs::write(&file, text).unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        for method in [Method::Cleartext, Method::Scram] {
            let port = serve(method);
            write(port, 0o600);
            let url = format!("host=127.0.0.1 port={port} user=ann sslmode=disable passfile={path}");
            let wire = Wire::connect(&Config::parse_with_env(&url, |_| None).unwrap()).unwrap();
            assert_eq!(wire.status(), b'I');
            let port = serve(method);
            write(port, 0o600);
            let url = format!("host=127.0.0.1 port={port} user=ann sslmode=disable");
            let config = Config::parse_with_env(&url, |v| (v == "PGPASSFILE").then(|| path.clone())).unwrap();
            assert_eq!(Wire::connect(&config).unwrap().status(), b'I');
        }
        let port = serve(Method::Scram);
        write(port, 0o644);
        let url = format!("host=127.0.0.1 port={port} user=ann sslmode=disable passfile={path}");
        let e = Wire::connect(&Config::parse_with_env(&url, |_| None).unwrap()).err().unwrap().to_string();
        assert!(e.contains("asks for a password") && e.contains("chmod 0600"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A listener that accepts and then sends `reply` (or nothing) and waits; its port.
    fn odd_server(reply: &'static [u8]) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let _ = s.write_all(reply);
            std::thread::sleep(std::time::Duration::from_secs(5));
        });
        port
    }

    #[test]
    fn a_server_that_never_answers_times_out_and_one_that_is_not_postgres_is_named() {
        let silent = odd_server(b"");
        let started = std::time::Instant::now();
        let e = Wire::connect(
            &Config::parse_with_env(
                &format!("host=127.0.0.1 port={silent} user=ann sslmode=disable connect_timeout=1"),
                |_| None,
            )
            .unwrap(),
        )
        .err()
        .unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(4), "{e}");
        assert!(matches!(e, ConnectionError::BadConnection(_)), "{e}");
        let http = odd_server(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        let e = Wire::connect(
            &Config::parse_with_env(&format!("host=127.0.0.1 port={http} user=ann sslmode=disable"), |_| None).unwrap(),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("is it a PostgreSQL server?"), "{e}");
    }

    /// A name with several addresses is tried address by address (libpq's rule): the first here refuses
    /// the login, the second lets the client in; the error, when none does, is the last one's.
    #[test]
    fn each_address_of_a_name_is_tried_in_turn() {
        let refusing = odd_server(b"E\0\0\0\x2dSFATAL\0VFATAL\0C28000\0Mno such role here\0\0");
        let welcoming = serve(Method::Cleartext);
        let url = format!("host=db.example port=5432 user=ann sslmode=disable password='{PASSWORD}'");
        let config = Config::parse_with_env(&url, |_| None).unwrap();
        let both = |name: &str, port: u16| -> std::io::Result<Vec<std::net::SocketAddr>> {
            assert_eq!((name, port), ("db.example", 5432));
            Ok(vec![([127, 0, 0, 1], refusing).into(), ([127, 0, 0, 1], welcoming).into()])
        };
        let wire = Wire::connect_resolving(&config, &both).unwrap();
        assert_eq!(wire.status(), b'I');
        let refusing = odd_server(b"E\0\0\0\x2dSFATAL\0VFATAL\0C28000\0Mno such role here\0\0");
        let only = move |_: &str, _: u16| -> std::io::Result<Vec<std::net::SocketAddr>> {
            Ok(vec![([127, 0, 0, 1], refusing).into(), ([127, 0, 0, 1], 9).into()])
        };
        let e = Wire::connect_resolving(&config, &only).err().unwrap().to_string();
        assert!(e.contains("db.example (127.0.0.1):9"), "the last address tried, with its name: {e}");
    }

    #[test]
    fn a_server_that_cannot_prove_it_knows_the_password_is_refused() {
        for method in [Method::ScramWithBadProof, Method::ScramSkippingProof] {
            let e = connect(method, Some(PASSWORD)).err().unwrap().to_string();
            assert!(e.contains("SCRAM"), "{e}");
        }
    }
}

/// The receive buffer against a stand-in server that sends its replies cut at arbitrary points (a byte at
/// a time, odd chunk sizes), with a value larger than the buffer: every row arrives whole and in order.
#[cfg(test)]
mod chunked_replies {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::Wire;
    use crate::pg::config::Config;

    fn message(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    /// The rows the stand-in sends: an int4 and a text, one text 200 KB long.
    fn rows() -> Vec<(i32, String)> {
        (0..300).map(|i| (i, if i == 150 { "x".repeat(200_000) } else { format!("row {i}") })).collect()
    }

    /// The replies to a login, a prepare and an execute, as one byte stream.
    fn replies() -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(message(b'R', &0u32.to_be_bytes()));
        out.extend(message(b'S', b"server_version\x0015.0\x00"));
        out.extend(message(b'K', &[0, 0, 0, 1, 0, 0, 0, 2]));
        out.extend(message(b'Z', b"I"));
        // Prepare: ParseComplete, no parameters, two columns (int4 `n`, text `t`), ready.
        out.extend(message(b'1', b""));
        out.extend(message(b't', &[0, 0]));
        let mut fields = vec![0, 2];
        for (name, oid) in [(&b"n"[..], 23u32), (&b"t"[..], 25u32)] {
            fields.extend_from_slice(name);
            fields.push(0);
            fields.extend_from_slice(&[0; 6]);
            fields.extend_from_slice(&oid.to_be_bytes());
            fields.extend_from_slice(&[0, 4, 0, 0, 0, 0, 0, 1]);
        }
        out.extend(message(b'T', &fields));
        out.extend(message(b'Z', b"I"));
        // Execute: BindComplete, the rows (a notice among them), the tag, ready.
        out.extend(message(b'2', b""));
        for (i, (n, t)) in rows().into_iter().enumerate() {
            let mut body = vec![0, 2, 0, 0, 0, 4];
            body.extend_from_slice(&n.to_be_bytes());
            body.extend_from_slice(&(t.len() as u32).to_be_bytes());
            body.extend_from_slice(t.as_bytes());
            out.extend(message(b'D', &body));
            if i == 7 {
                out.extend(message(b'N', b"SNOTICE\x00Mhello\x00\x00"));
            }
        }
        out.extend(message(b'C', b"SELECT 300\x00"));
        out.extend(message(b'Z', b"I"));
        out
    }

    /// Serves the replies in chunks of the sizes `sizes` cycles through; the port.
    fn serve(sizes: Vec<usize>) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.set_nodelay(true).unwrap();
            // What the client sends is not checked here; it is read so that its writes never block.
            let mut reader = s.try_clone().unwrap();
            std::thread::spawn(move || {
                let mut sink = [0u8; 4096];
                while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
            });
            let all = replies();
            let (mut at, mut k) = (0, 0);
            while at < all.len() {
                let end = (at + sizes[k % sizes.len()]).min(all.len());
                if s.write_all(&all[at..end]).is_err() {
                    return;
                }
                (at, k) = (end, k + 1);
            }
            std::thread::sleep(std::time::Duration::from_secs(2));
        });
        port
    }

    #[test]
    fn rows_cut_anywhere_arrive_whole() {
        for sizes in [vec![1], vec![7, 1, 4093, 2], vec![65_536, 3], vec![5, 65_531, 100_000]] {
            let port = serve(sizes.clone());
            let config =
                Config::parse_with_env(&format!("host=127.0.0.1 port={port} user=u sslmode=disable"), |_| None)
                    .unwrap();
            let mut wire = Wire::connect(&config).unwrap();
            let stmt = wire.prepare("SELECT n, t FROM stand_in", &[]).unwrap();
            assert_eq!(stmt.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["n", "t"]);
            let mut got = Vec::new();
            let affected = wire
                .execute(&stmt, &[], |row| {
                    let value = |i: usize| {
                        let (a, b) = row.values[i].unwrap();
                        &row.body[a as usize..b as usize]
                    };
                    let n = i32::from_be_bytes(value(0).try_into().unwrap());
                    got.push((n, String::from_utf8(value(1).to_vec()).unwrap()));
                    Ok(())
                })
                .unwrap();
            assert_eq!(affected, 300, "chunks {sizes:?}");
            assert!(got == rows(), "chunks {sizes:?}: the rows differ");
            assert_eq!(wire.status(), b'I');
        }
    }
}

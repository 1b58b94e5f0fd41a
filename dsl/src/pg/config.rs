//! Connection strings, as libpq takes them: `postgres://` / `postgresql://` URLs and `key=value` pairs.
//! An error names the option that is wrong, never the value of a password.

use std::time::Duration;

use super::tls::{SslMode, TlsOptions};
use crate::result::ConnectionError;

/// Where a server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Host {
    /// A name or an address, reached over TCP.
    Tcp(String),
    /// `hostaddr` beside `host`: the address reached over TCP, the name for TLS and messages (libpq's
    /// rule: no name lookup).
    Addr { addr: String, name: String },
    /// A directory holding the server's Unix socket (`.s.PGSQL.<port>`).
    Unix(String),
}

/// Which kind of server a connection wants (`target_session_attrs`, as libpq).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

impl SessionAttrs {
    /// What a server must be, for a message.
    pub(crate) fn wanted(self) -> &'static str {
        match self {
            SessionAttrs::Any => "any server",
            SessionAttrs::ReadWrite => "read-write",
            SessionAttrs::ReadOnly => "read-only",
            SessionAttrs::Primary => "a primary",
            SessionAttrs::Standby | SessionAttrs::PreferStandby => "a standby",
        }
    }
}

/// What a connection string says.
#[derive(Clone)]
pub(crate) struct Config {
    hosts: Vec<String>,
    /// `hostaddr`: the addresses to reach, one per host when `host` is given too.
    addrs: Vec<String>,
    ports: Vec<u16>,
    pub(crate) user: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) dbname: Option<String>,
    pub(crate) application_name: Option<String>,
    pub(crate) options: Option<String>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) tls: TlsOptions,
    /// `passfile`: libpq's password file, read when the server asks for a password none was given for.
    pub(crate) passfile: Option<String>,
    /// `target_session_attrs`.
    pub(crate) session_attrs: SessionAttrs,
    /// The options the text gave, even empty (`connect_timeout=0`, `options=`): no variable overrides them.
    given: Vec<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("hosts", &self.hosts)
            .field("ports", &self.ports)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .field("dbname", &self.dbname)
            .finish_non_exhaustive()
    }
}

/// A password file line's fields, as libpq reads them: split at the colons that are not escaped (`\:`),
/// unescaped, the password ending at its first unescaped colon too; `None` for a field that is `*`
/// unescaped (any value matches it).
fn pgpass_fields(line: &str) -> Vec<Option<String>> {
    let mut fields: Vec<(String, bool)> = vec![(String::new(), false)];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let last = fields.len() - 1;
        match c {
            // A backslash escapes the next character; a last one stands for itself.
            '\\' => {
                fields[last].0.push(chars.next().unwrap_or('\\'));
                fields[last].1 = true;
            }
            ':' if fields.len() == 5 => break,
            ':' => fields.push((String::new(), false)),
            c => fields[last].0.push(c),
        }
    }
    fields.into_iter().map(|(text, escaped)| (escaped || text != "*").then_some(text)).collect()
}

/// Where a server's Unix socket is looked for when no host is named (Debian's directory, then libpq's).
const DEFAULT_SOCKET_DIRS: [&str; 2] = ["/var/run/postgresql", "/tmp"];

fn invalid(why: String) -> ConnectionError {
    ConnectionError::InvalidConnectionUrl(why)
}

impl Config {
    /// Parses a URL or a `key=value` string; what it leaves unsaid (an option given empty counts as said)
    /// comes from libpq's environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
    /// ..; an empty variable is unset). The password, when none is given, comes from libpq's password file
    /// once the server asks for one (see [`password_from_file`](Self::password_from_file)).
    pub(crate) fn parse(text: &str) -> Result<Config, ConnectionError> {
        Config::parse_with_env(text, |name| std::env::var(name).ok())
    }

    /// [`parse`](Self::parse) with the environment read through `env`.
    pub(crate) fn parse_with_env(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Config, ConnectionError> {
        let mut config = Config::parse_text(text)?;
        config.apply_env(env)?;
        Ok(config)
    }

    /// The settings the text leaves unsaid, from `PG*` variables (an empty one is unset), each checked as
    /// its option would be; an error names the variable.
    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConnectionError> {
        let variables = [
            ("PGHOST", "host"),
            ("PGHOSTADDR", "hostaddr"),
            ("PGPORT", "port"),
            ("PGUSER", "user"),
            ("PGPASSWORD", "password"),
            ("PGDATABASE", "dbname"),
            ("PGAPPNAME", "application_name"),
            ("PGOPTIONS", "options"),
            ("PGCONNECT_TIMEOUT", "connect_timeout"),
            ("PGSSLMODE", "sslmode"),
            ("PGSSLROOTCERT", "sslrootcert"),
            ("PGTARGETSESSIONATTRS", "target_session_attrs"),
            ("PGPASSFILE", "passfile"),
        ];
        // A URL's hosts, ports, user, password and database count as given (the URL's own parts).
        let from_url = [
            ("host", !self.hosts.is_empty()),
            ("port", !self.ports.is_empty()),
            ("user", self.user.is_some()),
            ("password", self.password.is_some()),
            ("dbname", self.dbname.is_some()),
        ];
        for (variable, key) in variables {
            let given = self.given.iter().any(|g| g == key) || from_url.iter().any(|(k, set)| *k == key && *set);
            if given {
                continue;
            }
            let Some(value) = env(variable).filter(|v| !v.is_empty()) else { continue };
            self.set(key, &value).map_err(|e| match e {
                ConnectionError::InvalidConnectionUrl(why) => {
                    invalid(format!("{variable} (from the environment): {why}"))
                }
                other => other,
            })?;
        }
        self.check_counts("")
    }

    /// One port, or one per host; with both `host` and `hostaddr`, as many of each.
    fn check_counts(&self, whence: &str) -> Result<(), ConnectionError> {
        let hosts = if self.hosts.is_empty() { self.addrs.len() } else { self.hosts.len() };
        if self.ports.len() > 1 && self.ports.len() != hosts.max(1) {
            return Err(invalid(format!(
                "{} ports for {hosts} hosts{whence}: give one port, or one per host",
                self.ports.len()
            )));
        }
        if !self.hosts.is_empty() && !self.addrs.is_empty() && self.hosts.len() != self.addrs.len() {
            return Err(invalid(format!(
                "{} hostaddr for {} host{whence}: give one address per host",
                self.addrs.len(),
                self.hosts.len()
            )));
        }
        Ok(())
    }

    fn parse_text(text: &str) -> Result<Config, ConnectionError> {
        let mut config = Config {
            hosts: Vec::new(),
            addrs: Vec::new(),
            ports: Vec::new(),
            user: None,
            password: None,
            dbname: None,
            application_name: None,
            options: None,
            connect_timeout: None,
            tls: TlsOptions { mode: SslMode::Prefer, root_cert: None },
            session_attrs: SessionAttrs::Any,
            passfile: None,
            given: Vec::new(),
        };
        match text.strip_prefix("postgres://").or_else(|| text.strip_prefix("postgresql://")) {
            Some(rest) => config.parse_url(rest)?,
            None if text.contains("://") => {
                return Err(invalid("a PostgreSQL URL starts with postgres:// or postgresql://".to_owned()));
            }
            None => config.parse_pairs(text)?,
        }
        // The counts are checked once the environment has filled in what the text leaves unsaid.
        Ok(config)
    }

    fn parse_url(&mut self, rest: &str) -> Result<(), ConnectionError> {
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        // `postgres://u:12/ab@host/db`: a password holding `/` splits the URL there, and the rest would be
        // read as a database name. An `@` there is refused (a database name holding one writes `%40`).
        if path.contains('@') {
            return Err(invalid(
                "an `@` after the host: a password holding `/` must be %-escaped (`%2F`), a database name's `@` too (`%40`)"
                    .to_owned(),
            ));
        }
        if !path.is_empty() {
            self.dbname = Some(percent_decode(path)?);
        }
        let hosts = match authority.rsplit_once('@') {
            Some((user_info, hosts)) => {
                let (user, password) = match user_info.split_once(':') {
                    Some((user, password)) => (user, Some(password)),
                    None => (user_info, None),
                };
                if !user.is_empty() {
                    self.user = Some(percent_decode(user)?);
                }
                self.password = password.map(percent_decode).transpose()?;
                hosts
            }
            None => authority,
        };
        let mut ports = Vec::new();
        for host_port in hosts.split(',').filter(|h| !h.is_empty()) {
            let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
                let (host, after) = bracketed
                    .split_once(']')
                    .ok_or_else(|| invalid("an IPv6 address opened with `[` is not closed with `]`".to_owned()))?;
                match after.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None if after.is_empty() => (host, None),
                    None => return Err(invalid(format!("`{after}` after an IPv6 address"))),
                }
            } else {
                match host_port.rsplit_once(':') {
                    Some((host, port)) => (host, Some(port)),
                    None => (host_port, None),
                }
            };
            self.hosts.push(percent_decode(host)?);
            // Not echoed: in a URL whose password holds an unescaped `/` or `?`, this is part of it.
            let port = port.filter(|p| !p.is_empty());
            ports.push(port.map(|p| p.parse::<u16>()).transpose().map_err(|_| {
                invalid(
                    "a port in the URL is not a number (a password holding `/`, `?` or `@` must be %-escaped)"
                        .to_owned(),
                )
            })?);
        }
        // Each host its own port, the default where it names none.
        if ports.iter().any(Option::is_some) {
            self.ports = ports.into_iter().map(|p| p.unwrap_or(5432)).collect();
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            self.set(&percent_decode(key)?, &percent_decode(value)?)?;
        }
        Ok(())
    }

    fn parse_pairs(&mut self, text: &str) -> Result<(), ConnectionError> {
        let mut chars = text.chars().peekable();
        loop {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            if chars.peek().is_none() {
                return Ok(());
            }
            let mut key = String::new();
            while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
                key.push(c);
            }
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            if chars.next() != Some('=') {
                // The word is not echoed: it may be a password typed in the wrong place.
                return Err(invalid("a word without `=value` in a key=value string (`host=.. dbname=..`)".to_owned()));
            }
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            let mut value = String::new();
            if chars.next_if_eq(&'\'').is_some() {
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some('\\') => value.extend(chars.next()),
                        Some(c) => value.push(c),
                        None => return Err(invalid(format!("the quoted value of `{key}` is not closed"))),
                    }
                }
            } else {
                while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                    if c == '\\' {
                        value.extend(chars.next());
                    } else {
                        value.push(c);
                    }
                }
            }
            self.set(&key, &value)?;
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), ConnectionError> {
        if !self.given.iter().any(|g| g == key) {
            self.given.push(key.to_owned());
        }
        let some = || (!value.is_empty()).then(|| value.to_owned());
        match key {
            "host" => self.hosts = value.split(',').filter(|h| !h.is_empty()).map(str::to_owned).collect(),
            "hostaddr" => {
                self.addrs = value.split(',').filter(|h| !h.is_empty()).map(str::to_owned).collect();
                if let Some(bad) = self.addrs.iter().find(|a| a.parse::<std::net::IpAddr>().is_err()) {
                    return Err(invalid(format!("hostaddr `{bad}` is not an IP address (a name goes in `host`)")));
                }
            }
            "port" => {
                self.ports = value.split(',').filter(|p| !p.is_empty()).map(parse_port).collect::<Result<_, _>>()?
            }
            "user" => self.user = some(),
            "password" => self.password = Some(value.to_owned()),
            "dbname" => self.dbname = some(),
            "application_name" => self.application_name = some(),
            "options" => self.options = some(),
            "connect_timeout" => {
                let seconds: i64 = value
                    .parse()
                    .map_err(|_| invalid(format!("connect_timeout `{value}` is not a number of seconds")))?;
                // As libpq: zero or less waits as long as it takes, and the shortest wait is 2 seconds.
                self.connect_timeout = (seconds > 0).then(|| Duration::from_secs(seconds.max(2) as u64));
            }
            "client_encoding" if value.eq_ignore_ascii_case("UTF8") || value.eq_ignore_ascii_case("UTF-8") => {}
            "client_encoding" => return Err(invalid("client_encoding: Quarry speaks UTF8 only".to_owned())),
            "sslmode" => {
                self.tls.mode = match value {
                    "disable" => SslMode::Disable,
                    "allow" | "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(invalid(format!(
                            "sslmode `{other}` is not one of disable, allow, prefer, require, verify-ca, verify-full"
                        )));
                    }
                }
            }
            "sslrootcert" => self.tls.root_cert = some(),
            "passfile" => self.passfile = some(),
            "target_session_attrs" => {
                self.session_attrs = match value {
                    "any" => SessionAttrs::Any,
                    "read-write" => SessionAttrs::ReadWrite,
                    "read-only" => SessionAttrs::ReadOnly,
                    "primary" => SessionAttrs::Primary,
                    "standby" => SessionAttrs::Standby,
                    "prefer-standby" => SessionAttrs::PreferStandby,
                    other => {
                        return Err(invalid(format!(
                            "target_session_attrs `{other}` is not one of any, read-write, read-only, primary, standby, prefer-standby"
                        )));
                    }
                }
            }
            other => {
                // Named only when it looks like an option's name (not a piece of a mistyped password).
                let named = if other.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                    format!(" `{other}`")
                } else {
                    String::new()
                };
                return Err(invalid(format!(
                    "unknown connection option{named} (Quarry takes host, hostaddr, port, user, password, dbname, \
                     application_name, options, connect_timeout, sslmode, sslrootcert, passfile, target_session_attrs)"
                )));
            }
        }
        Ok(())
    }

    /// The places to try, in order, each with its port: the `hostaddr` addresses (each with its `host`'s
    /// name), else the hosts named (a name starting with `/` is a socket directory), else the usual socket
    /// directories that exist, then `localhost`.
    pub(crate) fn targets(&self) -> Vec<(Host, u16)> {
        let hosts: Vec<Host> = if !self.addrs.is_empty() {
            // The addresses, each with its host's name where `host` names them too.
            self.addrs
                .iter()
                .enumerate()
                .map(|(i, addr)| match self.hosts.get(i).filter(|h| !h.starts_with('/')) {
                    Some(name) => Host::Addr { addr: addr.clone(), name: name.clone() },
                    None => Host::Tcp(addr.clone()),
                })
                .collect()
        } else if self.hosts.is_empty() {
            let port = self.ports.first().copied().unwrap_or(5432);
            let sockets = DEFAULT_SOCKET_DIRS
                .into_iter()
                .filter(|dir| cfg!(unix) && std::path::Path::new(dir).join(format!(".s.PGSQL.{port}")).exists());
            sockets.map(|dir| Host::Unix(dir.to_owned())).chain([Host::Tcp("localhost".to_owned())]).collect()
        } else {
            let host = |h: &String| if h.starts_with('/') { Host::Unix(h.clone()) } else { Host::Tcp(h.clone()) };
            self.hosts.iter().map(host).collect()
        };
        let port = |i: usize| match self.ports.len() {
            0 => 5432,
            1 => self.ports[0],
            _ => self.ports.get(i).copied().unwrap_or(5432),
        };
        hosts.into_iter().enumerate().map(|(i, h)| (h, port(i))).collect()
    }

    /// The password file's line for this connection, as libpq reads it: `passfile`, else `PGPASSFILE`
    /// (through the environment, as the other options), else `~/.pgpass`; lines
    /// `host:port:database:user:password`, each of the first four a value or `*`, `\:` and `\\` escaped;
    /// the first line that matches wins; the database is the user's name when none is given. A socket in the
    /// default directory matches the host `localhost`, another socket its directory. `Err` says why
    /// a file that exists was not used (readable by others, as libpq refuses it), for the message that
    /// the server asked for a password.
    pub(crate) fn password_from_file(&self, host: &Host, port: u16, user: &str) -> Result<Option<String>, String> {
        let path = match &self.passfile {
            Some(path) => std::path::PathBuf::from(path),
            None => match std::env::var_os("HOME") {
                Some(home) => std::path::Path::new(&home).join(".pgpass"),
                None => return Ok(None),
            },
        };
        let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(&path)
                && meta.permissions().mode() & 0o077 != 0
            {
                return Err(format!(
                    "the password file {} was not read: others may read it (chmod 0600 it)",
                    path.display()
                ));
            }
        }
        // As libpq: a socket in the default directory is `localhost`, another socket its directory.
        let host = match host {
            Host::Tcp(name) | Host::Addr { name, .. } => name.as_str(),
            Host::Unix(dir) if DEFAULT_SOCKET_DIRS.contains(&dir.as_str()) => "localhost",
            Host::Unix(dir) => dir.as_str(),
        };
        let port = port.to_string();
        let db = self.dbname.as_deref().unwrap_or(user);
        Ok(text
            .lines()
            .find_map(|line| {
                let line = line.strip_suffix('\r').unwrap_or(line);
                if line.starts_with('#') {
                    return None;
                }
                let fields = pgpass_fields(line);
                let [h, p, d, u, password] = <[Option<String>; 5]>::try_from(fields).ok()?;
                let matches = |field: &Option<String>, value: &str| field.as_deref().is_none_or(|f| f == value);
                (matches(&h, host) && matches(&p, &port) && matches(&d, db) && matches(&u, user))
                    .then(|| password.unwrap_or_else(|| "*".to_owned()))
            })
            // An empty password is none, as libpq has it.
            .filter(|password| !password.is_empty()))
    }

    /// The user to log in as: the one named, else the operating system's user.
    pub(crate) fn user(&self) -> Option<String> {
        self.user.clone().or_else(|| std::env::var("USER").ok()).or_else(|| std::env::var("USERNAME").ok())
    }

    /// Host, port, database and user, for messages; never the password.
    pub(crate) fn describe(&self, host: &Host, port: u16) -> String {
        let host = match host {
            Host::Tcp(name) => format!("{name}:{port}"),
            Host::Addr { addr, name } => format!("{name} ({addr}):{port}"),
            Host::Unix(dir) => format!("{dir}/.s.PGSQL.{port}"),
        };
        let user = self.user().unwrap_or_else(|| "(no user)".to_owned());
        let db = self.dbname.clone().unwrap_or_else(|| user.clone());
        format!("PostgreSQL at {host}, database `{db}` as `{user}`")
    }
}

fn parse_port(text: &str) -> Result<u16, ConnectionError> {
    text.parse().map_err(|_| invalid(format!("port `{text}` is not a port number")))
}

/// `%2F` to `/`; a `%` not followed by two hex digits, or bytes that are not UTF-8, are an error.
fn percent_decode(text: &str) -> Result<String, ConnectionError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            out.push(hex.ok_or_else(|| invalid("a `%` in the URL is not followed by two hex digits".to_owned()))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid("the URL's %-escapes are not UTF-8".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::{Config, Host, SslMode, pgpass_fields};

    #[test]
    fn the_password_file_matches_host_port_database_and_user_as_libpq() {
        use std::os::unix::fs::PermissionsExt;
        let file = std::env::temp_dir().join(format!("quarry-pgpass-rules-{}", std::process::id()));
        std::fs::write(
            &file,
            "/srv/sock:5432:*:u:by-dir\nlocalhost:5432:*:u:by-localhost\ndb.example:6432:u:u:default-db\n\
             db.example:6432:other:u:wrong\n",
        )
        .unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let config = parse(&format!("user=u passfile={}", file.display())).unwrap();
        let found = |host: Host, port| config.password_from_file(&host, port, "u").unwrap();
        assert_eq!(found(Host::Unix("/srv/sock".into()), 5432).as_deref(), Some("by-dir"));
        assert_eq!(found(Host::Unix("/var/run/postgresql".into()), 5432).as_deref(), Some("by-localhost"));
        assert_eq!(found(Host::Tcp("localhost".into()), 5432).as_deref(), Some("by-localhost"));
        assert_eq!(
            found(Host::Tcp("db.example".into()), 6432).as_deref(),
            Some("default-db"),
            "dbname defaults to the user"
        );
        assert_eq!(found(Host::Tcp("db.example".into()), 5432), None);
        std::fs::remove_file(&file).unwrap();
    }

    #[test]
    fn password_file_lines_split_at_unescaped_colons() {
        let some = |v: &[&str]| v.iter().map(|s| Some((*s).to_owned())).collect::<Vec<_>>();
        assert_eq!(pgpass_fields("h:5432:db:u:p"), some(&["h", "5432", "db", "u", "p"]));
        // The password ends at its first unescaped colon, as libpq reads it; an escaped `*` is a star.
        assert_eq!(
            pgpass_fields(r"h\:x:*:\*:u\\v:p\:w:rest"),
            [Some("h:x".into()), None, Some("*".into()), Some(r"u\v".into()), Some("p:w".into())]
        );
        assert_eq!(pgpass_fields("too:few"), some(&["too", "few"]));
        assert_eq!(pgpass_fields("h:1:d:u:p\\")[4].as_deref(), Some("p\\"), "a last backslash stands for itself");
    }

    /// The text alone, whatever the machine's `PG*` variables.
    fn parse(text: &str) -> Result<Config, crate::result::ConnectionError> {
        Config::parse_with_env(text, |_| None)
    }

    #[test]
    fn what_the_text_leaves_unsaid_comes_from_pg_variables_each_checked() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
        };
        let vars: &[(&str, &str)] = &[
            ("PGHOST", "db1,db2"),
            ("PGPORT", "6001,6002"),
            ("PGUSER", "ann"),
            ("PGPASSWORD", "s3cret"),
            ("PGDATABASE", "app"),
            ("PGAPPNAME", "tool"),
            ("PGOPTIONS", "-c search_path=x"),
            ("PGCONNECT_TIMEOUT", "5"),
            ("PGSSLMODE", "require"),
        ];
        let c = Config::parse_with_env("postgres://", env(vars)).unwrap();
        assert_eq!(c.targets(), [(Host::Tcp("db1".into()), 6001), (Host::Tcp("db2".into()), 6002)]);
        assert_eq!(
            (c.user.as_deref(), c.password.as_deref(), c.dbname.as_deref()),
            (Some("ann"), Some("s3cret"), Some("app"))
        );
        assert_eq!((c.application_name.as_deref(), c.options.as_deref()), (Some("tool"), Some("-c search_path=x")));
        assert_eq!((c.connect_timeout, c.tls.mode), (Some(std::time::Duration::from_secs(5)), SslMode::Require));
        // What the text says wins.
        let c = Config::parse_with_env("host=h port=1 user=bob dbname=d sslmode=disable", env(vars)).unwrap();
        assert_eq!(c.targets(), [(Host::Tcp("h".into()), 1)]);
        assert_eq!((c.user.as_deref(), c.dbname.as_deref(), c.tls.mode), (Some("bob"), Some("d"), SslMode::Disable));
        assert_eq!(c.password.as_deref(), Some("s3cret"), "unsaid: from PGPASSWORD");
        // A bad variable is named; an empty one is unset.
        let e = Config::parse_with_env("postgres://h/d", env(&[("PGPORT", "x")])).unwrap_err().to_string();
        assert!(e.contains("PGPORT (from the environment): port `x`"), "{e}");
        let c = Config::parse_with_env("postgres://h/d", env(&[("PGUSER", "")])).unwrap();
        assert_eq!(c.user, None);
        // An option given empty is said: no variable overrides it (`connect_timeout=0` waits for ever).
        let c = Config::parse_with_env(
            "host=h connect_timeout=0 options=",
            env(&[("PGCONNECT_TIMEOUT", "5"), ("PGOPTIONS", "-c search_path=x")]),
        )
        .unwrap();
        assert_eq!((c.connect_timeout, c.options.as_deref()), (None, None));
        // Ports and hosts counted once both are known.
        let c = Config::parse_with_env("port=1,2", env(&[("PGHOST", "a,b")])).unwrap();
        assert_eq!(c.targets(), [(Host::Tcp("a".into()), 1), (Host::Tcp("b".into()), 2)]);
        let c = Config::parse_with_env("", env(&[("PGHOSTADDR", "127.0.0.1")])).unwrap();
        assert_eq!(c.targets(), [(Host::Tcp("127.0.0.1".into()), 5432)]);
        // `hostaddr` beside `host`: the address reached, the name kept for TLS.
        let c = parse("host=db.example hostaddr=10.0.0.5 port=6000").unwrap();
        assert_eq!(c.targets(), [(Host::Addr { addr: "10.0.0.5".into(), name: "db.example".into() }, 6000)]);
        let c = parse("postgres://db.example/app?hostaddr=10.0.0.5").unwrap();
        assert_eq!(c.targets(), [(Host::Addr { addr: "10.0.0.5".into(), name: "db.example".into() }, 5432)]);
    }

    #[test]
    fn urls_give_hosts_ports_user_password_database_and_options() {
        let c = parse(
            "postgres://ann:p%40ss@db.example:6000,[::1]/my%20db?sslmode=verify-full&sslrootcert=%2Fca.pem\
             &application_name=x&options=-c%20search_path%3Dapp&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(c.targets(), [(Host::Tcp("db.example".into()), 6000), (Host::Tcp("::1".into()), 5432)]);
        assert_eq!((c.user.as_deref(), c.password.as_deref()), (Some("ann"), Some("p@ss")));
        assert_eq!(c.dbname.as_deref(), Some("my db"));
        assert_eq!((c.tls.mode, c.tls.root_cert.as_deref()), (SslMode::VerifyFull, Some("/ca.pem")));
        assert_eq!(c.options.as_deref(), Some("-c search_path=app"));
        assert_eq!(c.connect_timeout, Some(std::time::Duration::from_secs(3)));
        let socket = parse("postgresql://%2Fvar%2Frun%2Fpostgresql/test").unwrap();
        assert_eq!(socket.targets(), [(Host::Unix("/var/run/postgresql".into()), 5432)]);
        assert_eq!(parse("postgres://h/db").unwrap().tls.mode, SslMode::Prefer);
        assert_eq!(parse("postgres://h:/db").unwrap().targets(), [(Host::Tcp("h".into()), 5432)]);
        let debug = format!("{:?}", parse("postgres://u:s3cret@h/db").unwrap());
        assert!(!debug.contains("s3cret"), "{debug}");
    }

    #[test]
    fn key_value_pairs_take_quotes_and_escapes() {
        let c = parse(r"host=h port = 5433 user=bob password='it\'s a secret' dbname=app sslmode=require").unwrap();
        assert_eq!(c.targets(), [(Host::Tcp("h".into()), 5433)]);
        assert_eq!(c.password.as_deref(), Some("it's a secret"));
        assert_eq!((c.dbname.as_deref(), c.tls.mode), (Some("app"), SslMode::Require));
        let sockets = parse("host=/tmp,db port=1,2").unwrap();
        assert_eq!(sockets.targets(), [(Host::Unix("/tmp".into()), 1), (Host::Tcp("db".into()), 2)]);
    }

    #[test]
    fn mistakes_name_the_option_and_never_the_password() {
        for (text, says) in [
            ("postgres://[::1:5432/test", "not closed"),
            ("postgres://h:port/db", "a port in the URL is not a number"),
            ("postgres://u:pa?ss@h/db", "a port in the URL is not a number"),
            ("postgres://h/db?x@y=1", "unknown connection option ("),
            ("postgres://u:se/cret@h/db", "a password holding `/` must be %-escaped"),
            ("postgres://u:12/s3cret@h/db", "a password holding `/` must be %-escaped"),
            ("host=a,b hostaddr=127.0.0.1", "1 hostaddr for 2 host"),
            ("hostaddr=db.example", "hostaddr `db.example` is not an IP address"),
            ("postgres://h/db?sslmode=always", "sslmode `always`"),
            ("postgres://h/db?colour=red", "unknown connection option `colour`"),
            ("host=h port=bad password=s3cret", "port `bad`"),
            ("host=h password='s3cret", "not closed"),
            ("host=h s3cret", "a word without `=value`"),
            ("mysql://h/db", "postgres://"),
            ("postgres://h/db?connect_timeout=soon", "connect_timeout"),
            ("host=a,b,c port=1,2", "2 ports for 3 hosts"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
            if !says.contains("s3") {
                assert!(!e.contains("s3"), "{text}: {e}");
            }
        }
    }
}

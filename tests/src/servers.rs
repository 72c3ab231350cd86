//! Real nginx and Apache httpd on loopback ephemeral ports, each in its own temporary
//! directory (configuration, pid, logs), in the foreground as a single process so that
//! dropping the handle stops it; and a trivial upstream application.
//!
//! When a server binary is missing the tests print why and skip; with `CI=true` they
//! fail instead.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Where Debian puts Apache's modules.
pub const APACHE_MODULES: &str = "/usr/lib/apache2/modules";

/// The server binary `name` (`nginx`, `apache2`), looked up on `PATH` and in the
/// `sbin` directories, which are not on an unprivileged user's `PATH`.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The tool, or `None` after printing why the test is skipped; panics when `CI=true`.
pub fn require_tool(name: &str) -> Option<PathBuf> {
    let found = find_tool(name);
    let usable = match name {
        "apache2" => found.filter(|_| Path::new(APACHE_MODULES).join("mod_headers.so").is_file()),
        _ => found,
    };
    if usable.is_none() {
        let why = format!(
            "{name} is not installed (apt-get install -y {})",
            if name == "apache2" { "apache2" } else { name }
        );
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true: {why}");
        }
        eprintln!("SKIPPED: {why}");
    }
    usable
}

/// A free loopback port (bound, then released for the server to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral loopback port")
}

/// A fresh temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `$TMPDIR/cors-policy-<what>-<pid>-<n>`.
    pub fn new(what: &str) -> TempDir {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("cors-policy-{what}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `name` in it; returns the file's path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a directory");
        }
        std::fs::write(&path, text).expect("write a file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The trivial application behind both servers: every request gets 200
/// `{"ok":true}` with `Vary: Accept-Encoding` and `X-Request-Id: 1`, then the
/// connection closes. Started once per test process.
pub fn upstream() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the upstream");
        let addr = listener.local_addr().expect("upstream address");
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || answer(stream));
            }
        });
        addr
    })
}

/// The upstream's answer to one request.
pub const UPSTREAM_BODY: &str = "{\"ok\":true}\n";

fn answer(stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    let _ = std::io::Read::read_exact(&mut reader, &mut body);
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nVary: Accept-Encoding\r\nX-Request-Id: 1\r\nConnection: close\r\n\r\n{UPSTREAM_BODY}",
        UPSTREAM_BODY.len()
    );
    let _ = (&stream).write_all(response.as_bytes());
}

/// A running server: stopped (killed, it is one process) on drop.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its directory: configuration, logs.
    pub dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// The server's error log, for failure messages.
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

/// Runs `command` and returns its combined output, or an error with it.
fn run(command: &mut Command) -> Result<String, String> {
    let out = command.output().map_err(|e| e.to_string())?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// Starts `command` and waits until `port` accepts connections.
fn start(mut command: Command, port: u16, dir: TempDir, log: &str) -> Result<Server, String> {
    let stderr = std::fs::File::create(dir.path().join("stderr.log")).map_err(|e| e.to_string())?;
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(|e| e.to_string())?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut server = Server { child, addr, dir };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(server);
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            let read = |name: &str| {
                std::fs::read_to_string(server.dir.path().join(name)).unwrap_or_default()
            };
            return Err(format!(
                "exited with {status}: {}{}",
                read("stderr.log"),
                read(log)
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(format!("not listening after 10 s: {}", server.error_log()))
}

/// nginx with `http_part` included in `http {}` and `server_part` in `location / {}`
/// in front of [`upstream`] (or `server_block` replacing the whole `server {}` when
/// given, with `{PORT}`, `{DIR}` and `{UPSTREAM}` filled in).
pub struct Nginx<'a> {
    /// The `http {}` part.
    pub http_part: &'a str,
    /// The `server {}`/`location {}` part.
    pub server_part: &'a str,
    /// A `server {}` block of the caller's instead of the default one.
    pub server_block: Option<&'a str>,
}

impl Nginx<'_> {
    /// The whole `nginx.conf` for a server run from `dir` on `port`, reading
    /// `http.conf` and `server.conf` from `dir`.
    pub fn config_for(&self, dir: &Path, port: u16) -> String {
        let d = dir.display();
        let up = upstream();
        let server = match self.server_block {
            Some(block) => block
                .replace("{PORT}", &port.to_string())
                .replace("{DIR}", &d.to_string())
                .replace("{UPSTREAM}", &up.to_string()),
            None => format!(
                "server {{\n  listen 127.0.0.1:{port};\n  location / {{\n    include {d}/server.conf;\n    proxy_pass http://{up};\n  }}\n}}"
            ),
        };
        format!(
            "{}events {{ worker_connections 256; }}\nhttp {{\n  {}\n  include {d}/http.conf;\n{server}\n}}\n",
            nginx_preamble(dir),
            nginx_http_paths(dir)
        )
    }

    fn prepare(&self, nginx: &Path) -> Result<(TempDir, u16, Command), String> {
        Ok(nginx_setup(
            nginx,
            &[
                ("http.conf", self.http_part),
                ("server.conf", self.server_part),
            ],
            |dir, port| self.config_for(dir, port),
        ))
    }

    /// `nginx -t` on the configuration: its output, or an error with it.
    pub fn test(&self, nginx: &Path) -> Result<String, String> {
        let (_dir, _, mut command) = self.prepare(nginx)?;
        run(command.arg("-t"))
    }

    /// Starts nginx.
    pub fn start(&self, nginx: &Path) -> Result<Server, String> {
        let (dir, port, command) = self.prepare(nginx)?;
        start(command, port, dir, "error.log")
    }
}

/// A temporary directory holding `files` and the `nginx.conf` that `config` writes
/// from the directory and a free port; the command that runs nginx on it.
fn nginx_setup(
    nginx: &Path,
    files: &[(&str, &str)],
    config: impl FnOnce(&Path, u16) -> String,
) -> (TempDir, u16, Command) {
    let dir = TempDir::new("nginx");
    let port = free_port();
    for (name, text) in files {
        dir.write(name, text);
    }
    let conf = dir.write("nginx.conf", &config(dir.path(), port));
    let mut command = Command::new(nginx);
    command
        .arg("-p")
        .arg(dir.path())
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .arg("-c")
        .arg(conf);
    (dir, port, command)
}

/// Starts nginx on a whole configuration of the caller's, written by `config` from
/// the server's directory and port; `files` are written in that directory first.
pub fn start_nginx_config(
    nginx: &Path,
    files: &[(&str, &str)],
    config: impl FnOnce(&Path, u16) -> String,
) -> Result<Server, String> {
    let (dir, port, command) = nginx_setup(nginx, files, config);
    start(command, port, dir, "error.log")
}

/// The lines every test configuration of nginx needs to run unprivileged in the
/// foreground from `dir`: put before the caller's configuration.
pub fn nginx_preamble(dir: &Path) -> String {
    let d = dir.display();
    format!("daemon off;\nmaster_process off;\nerror_log {d}/error.log warn;\npid {d}/nginx.pid;\n")
}

/// Temporary-file paths for inside `http {}`.
pub fn nginx_http_paths(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi; \
         uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi; access_log off;"
    )
}

/// A temporary directory holding `files` (readable by Apache's user) and the
/// `httpd.conf` that `config` writes from the directory and a free port; the command
/// that runs Apache on it.
fn apache_setup(
    apache: &Path,
    files: &[(&str, &str)],
    config: impl FnOnce(&Path, u16) -> String,
) -> (TempDir, u16, Command) {
    let dir = TempDir::new("apache");
    let port = free_port();
    for (name, text) in files {
        dir.write(name, text);
    }
    // www-data must be able to read the document root.
    let _ = Command::new("chmod")
        .arg("-R")
        .arg("a+rX")
        .arg(dir.path())
        .status();
    let conf = dir.write("httpd.conf", &config(dir.path(), port));
    let mut command = Command::new(apache);
    command.arg("-f").arg(conf).arg("-d").arg(dir.path());
    (dir, port, command)
}

/// Starts Apache (`-X`) on a whole configuration of the caller's (after
/// [`apache_preamble`]), written by `config` from the server's directory and port.
pub fn start_apache_config(
    apache: &Path,
    files: &[(&str, &str)],
    config: impl FnOnce(&Path, u16) -> String,
) -> Result<Server, String> {
    let (dir, port, mut command) = apache_setup(apache, files, config);
    command.arg("-X");
    start(command, port, dir, "error.log")
}

/// Modules, user, pid, logs and runtime directory for an Apache run from `dir`.
pub fn apache_preamble(dir: &Path) -> String {
    let d = dir.display();
    let mut conf = format!("ServerRoot {d}\n");
    for m in APACHE_MODULE_LIST {
        conf.push_str(&format!(
            "LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n"
        ));
    }
    if running_as_root() {
        // Apache will not serve as root; www-data comes with Debian.
        conf.push_str("User www-data\nGroup www-data\n");
    }
    conf.push_str(&format!(
        "ServerName localhost\nPidFile {d}/httpd.pid\nErrorLog {d}/error.log\n\
         DefaultRuntimeDir {d}\nMutex file:{d} default\nLogLevel warn\nTypesConfig /dev/null\n"
    ));
    conf
}

/// Where Apache's copy of the snippet goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApacheContext {
    /// `Include` inside `<VirtualHost>`, in front of [`upstream`] (mod_proxy).
    VirtualHost,
    /// `Include` inside `<Directory>` of a static document root.
    Directory,
    /// The document root's `.htaccess` (`AllowOverride FileInfo`).
    Htaccess,
}

/// Apache httpd with `snippet` in `context`.
pub struct Apache<'a> {
    /// The `emit apache` output.
    pub snippet: &'a str,
    /// Where it goes.
    pub context: ApacheContext,
    /// A `<VirtualHost>` of the caller's instead of the default one, with `{PORT}`,
    /// `{DIR}` and `{UPSTREAM}` filled in.
    pub virtual_host: Option<&'a str>,
}

const APACHE_MODULE_LIST: [&str; 9] = [
    "mpm_event",
    "authz_core",
    "headers",
    "setenvif",
    "rewrite",
    "proxy",
    "proxy_http",
    "mime",
    "dir",
];

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Apache<'_> {
    fn config(&self, dir: &Path, port: u16) -> String {
        let d = dir.display();
        let up = upstream();
        let mut conf = apache_preamble(dir);
        conf.push_str(&format!("Listen 127.0.0.1:{port}\n"));
        let vhost = match (self.virtual_host, self.context) {
            (Some(v), _) => v
                .replace("{PORT}", &port.to_string())
                .replace("{DIR}", &d.to_string())
                .replace("{UPSTREAM}", &up.to_string()),
            (None, ApacheContext::VirtualHost) => format!(
                "<VirtualHost 127.0.0.1:{port}>\n  Include {d}/cors.conf\n  ProxyPass / http://{up}/\n</VirtualHost>"
            ),
            (None, ApacheContext::Directory) => format!(
                "<VirtualHost 127.0.0.1:{port}>\n  DocumentRoot {d}/www\n  ErrorDocument 404 /x\n  <Directory {d}/www>\n    Require all granted\n    Include {d}/cors.conf\n  </Directory>\n</VirtualHost>"
            ),
            (None, ApacheContext::Htaccess) => format!(
                "<VirtualHost 127.0.0.1:{port}>\n  DocumentRoot {d}/www\n  ErrorDocument 404 /x\n  <Directory {d}/www>\n    Require all granted\n    AllowOverride FileInfo\n  </Directory>\n</VirtualHost>"
            ),
        };
        conf.push_str(&vhost);
        conf.push('\n');
        conf
    }

    fn prepare(&self, apache: &Path) -> (TempDir, u16, Command) {
        let mut files = vec![("cors.conf", self.snippet), ("www/x", UPSTREAM_BODY)];
        if self.context == ApacheContext::Htaccess {
            files.push(("www/.htaccess", self.snippet));
        }
        apache_setup(apache, &files, |dir, port| self.config(dir, port))
    }

    /// `apache2 -t` on the configuration.
    pub fn test(&self, apache: &Path) -> Result<String, String> {
        let (_dir, _, mut command) = self.prepare(apache);
        run(command.arg("-t"))
    }

    /// Starts Apache in the foreground, one process (`-X`).
    pub fn start(&self, apache: &Path) -> Result<Server, String> {
        let (dir, port, mut command) = self.prepare(apache);
        command.arg("-X");
        start(command, port, dir, "error.log")
    }
}

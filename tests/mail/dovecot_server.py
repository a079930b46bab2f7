"""A throwaway Dovecot IMAP server on a loopback port, for tests and benchmarks.

Follows the recipe in the project notes: a folder made directly under /tmp (a 0700 parent
breaks login), the `dovecot` users when run as root, user `alice` / password `secret`, and an
oauth2 passdb (XOAUTH2, OAUTHBEARER) that asks a small token-introspection endpoint served here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists()
                                      else None)
DOVEADM = shutil.which("doveadm") or ("/usr/bin/doveadm" if Path("/usr/bin/doveadm").exists()
                                      else None)
OPENSSL = shutil.which("openssl")
SKIP_REASON = ("Dovecot is not installed: apt-get install dovecot-imapd "
               "(the IMAP tests run against a real server)")
USER = "alice"
PASSWORD = "secret"
GOOD_TOKEN = "ya29.good-token-for-alice"

_CONF = """\
instance_name = notnow-test-{port}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
first_valid_uid = 1
default_internal_user = {u}
default_internal_group = {g}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {d}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid={u} gid={g} home={d}/home/%u
}}
mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  user = {u}
}}
service auth-worker {{
  user = {u}
}}
"""

_OAUTH = """\
introspection_mode = post
introspection_url = http://127.0.0.1:{port}/introspect
username_attribute = username
active_attribute = active
active_value = true
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Introspect(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # Dovecot keeps the connection open between lookups

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        token = (form.get("token") or [""])[0]
        body = ({"active": True, "username": USER} if token == GOOD_TOKEN
                else {"active": False})
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class Dovecot:
    """Start with `start()`, stop with `stop()`; `port` is the IMAP port on 127.0.0.1."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="notnow-dovecot-", dir="/tmp"))
        self.port = free_port()
        self.tls_port = 0
        self.cert: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.http: ThreadingHTTPServer | None = None

    def start(self) -> Dovecot:
        assert DOVECOT is not None
        d = self.dir
        for sub in ("run", "state", "home"):
            (d / sub).mkdir(exist_ok=True)
        if os.geteuid() == 0:
            u = g = "dovecot"
            login = "dovenull"
            os.chmod(d, 0o755)
            shutil.chown(d / "home", "dovecot", "dovecot")
        else:
            import grp
            import pwd

            u = pwd.getpwuid(os.getuid()).pw_name
            g = grp.getgrgid(os.getgid()).gr_name
            login = u
        (d / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _Introspect)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        (d / "oauth2.conf.ext").write_text(_OAUTH.format(port=self.http.server_address[1]))
        ssl = "ssl = no"
        if OPENSSL is not None:  # a self-signed certificate for 127.0.0.1: TLS and STARTTLS
            self.cert, key = d / "cert.pem", d / "key.pem"
            subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                            "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", str(key), "-out", str(self.cert)],
                           check=True, capture_output=True)
            os.chmod(key, 0o644)
            self.tls_port = free_port()
            ssl = f"ssl = yes\nssl_cert = <{self.cert}\nssl_key = <{key}"
        (d / "dovecot.conf").write_text(_CONF.format(d=d, port=self.port, u=u, g=g,
                                                     login=login, ssl=ssl,
                                                     tls_port=self.tls_port))
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(d / "dovecot.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"dovecot did not start: {err}{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.log()}")

    def log(self) -> str:
        try:
            return (self.dir / "dovecot.log").read_text()[-3000:]
        except OSError:
            return ""

    def save(self, folder: str, data: bytes) -> None:
        """Deliver one message with doveadm (no IMAP round trip)."""
        assert DOVEADM is not None
        subprocess.run([DOVEADM, "-c", str(self.dir / "dovecot.conf"), "save", "-u", USER,
                        "-m", folder], input=data, check=True, capture_output=True)

    def doveadm(self, *args: str) -> str:
        assert DOVEADM is not None
        proc = subprocess.run([DOVEADM, "-c", str(self.dir / "dovecot.conf"), *args],
                              check=True, capture_output=True, text=True)
        return proc.stdout

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()
        if self.http is not None:
            self.http.shutdown()
            self.http.server_close()
        shutil.rmtree(self.dir, ignore_errors=True)

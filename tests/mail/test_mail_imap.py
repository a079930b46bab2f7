"""The IMAP client against a real Dovecot: logins (password, XOAUTH2), UIDs, batches, drafts,
and the errors a person meets, in plain words."""

from __future__ import annotations

import socket
import ssl
import uuid
from collections.abc import Iterator

import imapclient
import pytest
from dovecot_server import GOOD_TOKEN, PASSWORD, USER, Dovecot
from mailcorpus import MESSAGES, crlf

from notnow.errors import MailServerError
from notnow.mail import (
    AuthKind,
    DraftAddress,
    Fetched,
    ImapClient,
    ImapSettings,
    Security,
    build_draft,
    parse_message,
)

pytestmark = pytest.mark.slow


def settings(server: Dovecot, **over: object) -> ImapSettings:
    base: dict[str, object] = {"host": "127.0.0.1", "port": server.port, "username": USER,
                               "secret": PASSWORD, "security": Security.NONE, "timeout": 5}
    base.update(over)
    return ImapSettings(**base)  # type: ignore[arg-type]


@pytest.fixture
def folder(dovecot: Dovecot) -> Iterator[str]:
    """A fresh folder holding four messages of the corpus, appended over IMAP."""
    name = f"T{uuid.uuid4().hex[:8]}"
    raw = imapclient.IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=5)
    raw.login(USER, PASSWORD)
    raw.create_folder(name)
    for key in ("gmail_de", "outlook_cp1252", "dsn_postfix", "sent_by_owner"):
        raw.append(name, crlf(MESSAGES[key]))
    raw.logout()
    yield name


def test_select_lists_new_uids_and_fetches_exact_bytes_in_batches(dovecot: Dovecot,
                                                                 folder: str) -> None:
    with ImapClient(settings(dovecot)) as imap:
        state = imap.select(folder)
        assert state.exists == 4 and state.uidnext == 5 and state.uidvalidity > 0
        assert imap.uids_after(0) == [1, 2, 3, 4]
        assert imap.uids_after(2) == [3, 4]
        # Dovecot answers "UID 5:*" with message 4: the client filters it out
        assert imap.uids_after(4) == [] and imap.uids_after(99) == []
        fetched = list(imap.fetch_new(1, batch=2))
    assert [f.uid for f in fetched] == [2, 3, 4]
    assert all(isinstance(f, Fetched) for f in fetched)
    assert fetched[0].data == crlf(MESSAGES["outlook_cp1252"])  # type: ignore[union-attr]
    assert parse_message(fetched[1].data).is_bounce  # type: ignore[union-attr]


def test_a_recreated_folder_has_a_new_uidvalidity(dovecot: Dovecot, folder: str) -> None:
    with ImapClient(settings(dovecot)) as imap:
        before = imap.select(folder).uidvalidity
        imap.client.unselect_folder()
        imap.client.delete_folder(folder)
        imap.client.create_folder(folder)
        after = imap.select(folder)
    assert after.uidvalidity != before and after.exists == 0


def test_xoauth2_with_a_good_token(dovecot: Dovecot, folder: str) -> None:
    with ImapClient(settings(dovecot, auth=AuthKind.OAUTH2, secret=GOOD_TOKEN)) as imap:
        assert imap.select(folder).exists == 4


@pytest.mark.parametrize(("auth", "secret", "words"), [
    (AuthKind.PASSWORD, "wrong-password-123", "user name or password was refused"),
    (AuthKind.OAUTH2, "expired-token-456", "OAuth2 token was refused"),
])
def test_refused_login_says_so_without_the_secret(fresh_dovecot: Dovecot, auth: AuthKind,
                                                  secret: str, words: str) -> None:
    with pytest.raises(MailServerError) as info:
        ImapClient(settings(fresh_dovecot, auth=auth, secret=secret)).connect()
    assert info.value.reason == "auth" and words in info.value.message
    assert secret not in str(info.value) and secret not in repr(info.value.details)
    assert secret not in repr(settings(fresh_dovecot, secret=secret))


def test_missing_folder(dovecot: Dovecot) -> None:
    with ImapClient(settings(dovecot)) as imap, pytest.raises(MailServerError) as info:
        imap.select("No/Such/Folder")
    assert info.value.reason == "folder" and "does not exist" in info.value.message


def test_draft_is_appended_with_the_draft_flag_and_threaded(dovecot: Dovecot) -> None:
    original = parse_message(MESSAGES["gmail_de"])
    draft = build_draft(from_=DraftAddress("sam@vendor.io", "Sam Seller"),
                        to=DraftAddress("jonas.kaeufer@kaeufer.de", "Jonas Käufer"),
                        body="Danke, Herr Käufer — ich melde mich im März.",
                        subject=original.subject, in_reply_to=original.message_id,
                        references=original.references)
    with ImapClient(settings(dovecot)) as imap:
        drafts = imap.special_folder("\\Drafts")
        assert drafts == "Drafts"
        uid = imap.append_draft(drafts, bytes(draft))
        assert uid is not None
        imap.select(drafts)
        flags = imap.client.get_flags([uid])[uid]
        (back,) = [f for f in imap.fetch([uid]) if isinstance(f, Fetched)]
        with pytest.raises(MailServerError) as info:
            imap.append_draft("Entwürfe", bytes(draft))
    assert b"\\Draft" in flags
    read = parse_message(back.data)
    assert read.in_reply_to == original.message_id and read.subject == original.subject
    assert info.value.reason == "folder"


def test_wrong_transport_settings_are_explained(dovecot: Dovecot) -> None:
    with pytest.raises(MailServerError) as tls:
        ImapClient(settings(dovecot, security=Security.TLS)).connect()
    assert tls.value.reason == "tls" and "--starttls or --no-tls" in tls.value.message
    with pytest.raises(MailServerError) as starttls:  # offered, but the certificate is unknown
        ImapClient(settings(dovecot, security=Security.STARTTLS)).connect()
    assert starttls.value.reason == "tls"
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(MailServerError) as refused:
        ImapClient(settings(dovecot, port=port)).connect()
    assert refused.value.reason == "connect"


def test_a_server_that_never_answers_times_out(dovecot: Dovecot) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        with pytest.raises(MailServerError) as info:
            ImapClient(settings(dovecot, port=silent.getsockname()[1], timeout=0.3)).connect()
    assert info.value.reason == "timeout" and "0.3 s" in info.value.message


def test_a_cut_connection_is_explained(dovecot: Dovecot, folder: str) -> None:
    with ImapClient(settings(dovecot)) as imap:
        imap.select(folder)
        dovecot.doveadm("kick", USER)
        with pytest.raises(MailServerError) as info:
            list(imap.fetch_new(0))
    assert info.value.reason == "cut"


def trusting(server: Dovecot) -> ssl.SSLContext:
    if server.cert is None:
        pytest.skip("openssl is not installed: no certificate for the TLS tests")
    return ssl.create_default_context(cafile=str(server.cert))


def test_implicit_tls_and_starttls_with_a_trusted_certificate(dovecot: Dovecot,
                                                              folder: str) -> None:
    context = trusting(dovecot)
    tls = settings(dovecot, security=Security.TLS, port=dovecot.tls_port, ssl_context=context)
    with ImapClient(tls) as imap:
        assert imap.select(folder).exists == 4
    starttls = settings(dovecot, security=Security.STARTTLS, ssl_context=context)
    with ImapClient(starttls) as imap:
        assert imap.select(folder).exists == 4


def test_an_untrusted_certificate_is_refused(dovecot: Dovecot) -> None:
    trusting(dovecot)  # skips without a certificate
    with pytest.raises(MailServerError) as info:
        ImapClient(settings(dovecot, security=Security.TLS, port=dovecot.tls_port)).connect()
    assert info.value.reason == "tls" and "cannot be trusted" in info.value.message

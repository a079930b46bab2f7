"""Mail: reading messages from files and IMAP, telling what each one is, and making drafts.

Pure reading, no database: `parse_message` (bytes → `ParsedMessage`), `own_words` (quoted
history and signatures stripped), `iter_messages` (.eml, mbox, Maildir, folders; streamed),
`classify` (bounce, auto-reply, sent, bulk, internal, inbound — from headers and addresses),
`ImapClient` (IMAPClient underneath), `build_draft` (a threaded reply for the Drafts folder).
What a message becomes in the database is decided by the services (phase 2 of issue 12).
"""

from notnow.mail.classify import Classification, MessageKind, Owner, classify
from notnow.mail.draft import DraftAddress, build_draft, reply_subject
from notnow.mail.imap import (
    AuthKind,
    Fetched,
    FolderState,
    ImapClient,
    ImapSettings,
    Security,
    Skipped,
)
from notnow.mail.parse import (
    Address,
    FailedRecipient,
    Forwarded,
    ParsedMessage,
    message_id_hash,
    parse_message,
)
from notnow.mail.reply import own_words
from notnow.mail.sources import RawMessage, Unreadable, iter_messages

__all__ = [
    "Address",
    "AuthKind",
    "Classification",
    "DraftAddress",
    "FailedRecipient",
    "Fetched",
    "FolderState",
    "Forwarded",
    "ImapClient",
    "ImapSettings",
    "MessageKind",
    "Owner",
    "ParsedMessage",
    "RawMessage",
    "Security",
    "Skipped",
    "Unreadable",
    "build_draft",
    "classify",
    "iter_messages",
    "message_id_hash",
    "own_words",
    "parse_message",
    "reply_subject",
]

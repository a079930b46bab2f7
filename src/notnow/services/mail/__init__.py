"""Mail, for the mail's owner: import files, connect and sync mailboxes, list what was read,
place reply drafts — everything it produces through the one guarded write path (log a no,
record a touch, opt-out), with the mailbox's owner as the actor.

    import_files(ws, actor, paths)                  .eml, mbox, Maildir, folders of them
    connect_mailbox / list_mailboxes / remove_mailbox
    sync_mailbox(ws, actor, name, environ=…)        what is new over IMAP
    list_messages(ws, actor)                        what each message became
    place_draft(ws, actor, rejection, environ=…)    a reply in the Drafts folder (never sent)
"""

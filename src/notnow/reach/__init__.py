"""Reach: the day's follow-ups where people already look.

* `feed` — a private iCalendar URL per person (Google Calendar, Outlook, Apple Calendar);
* `caldav` — follow-ups written to a person's own calendar server and kept in step;
* `digest` and `smtp` — the morning mail and the managers' weekly note;
* `webhooks` and `events` — signed events for other tools, and a Slack-compatible target.

Each module is a library: the CLI, the web app and the worker only connect them (docs/reach.md).
"""

"""Our own test messages, written to reproduce what real mail does.

Modelled on the quirks seen in public corpora (sisimai's set-of-emails, talon's, mail-parser's
and email-reply-parser's fixtures) — none of their files is copied. The owner of the mailbox is
Sam Seller <sam@vendor.io> (alias sam.seller@vendor.io); prospects are at buyer.com,
kaeufer.de, acheteuse.fr, koper.nl, kopare.se.

`MESSAGES[name]` is the message's bytes exactly as they would sit in a file.
"""

from __future__ import annotations

OWNER = "sam@vendor.io"
OWNER_ALIASES = ("sam@vendor.io", "Sam.Seller@Vendor.io")


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


GMAIL_DE = b"""\
Delivered-To: sam@vendor.io
Received: by 2002:a05:7000:1234 with SMTP id x9csp123;
        Tue, 3 Nov 2026 01:20:11 -0800 (PST)
MIME-Version: 1.0
References: <CAB0ut0ne-1@mail.vendor.io>
In-Reply-To: <CAB0ut0ne-1@mail.vendor.io>
From: =?UTF-8?Q?Jonas_K=C3=A4ufer?= <Jonas.Kaeufer@Kaeufer.de>
Date: Tue, 3 Nov 2026 10:20:01 +0100
Message-ID: <CAKjonas-reply-1@mail.gmail.com>
Subject: =?UTF-8?Q?Re=3A_Kurze_Frage_zu_Ihrem_Einkauf?=
To: Sam Seller <sam@vendor.io>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Vielen Dank, aber wir haben aktuell kein Budget daf=C3=BCr. Melden Sie sich
bitte im Fr=C3=BChjahr wieder.

Mit freundlichen Gr=C3=BC=C3=9Fen
Jonas K=C3=A4ufer

Am Mo., 2. Nov. 2026 um 16:01 Uhr schrieb Sam Seller <sam@vendor.io>:

> Hallo Herr K=C3=A4ufer,
> h=C3=A4tten Sie n=C3=A4chste Woche 15 Minuten?
>

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Vielen Dank, aber wir haben aktuell kein Budget daf=C3=BCr=
.</div><div class=3D"gmail_quote">Am Mo. schrieb Sam</div>

--000000000000a1b2c3--
"""

# Outlook, CRLF, a latin-1 label on windows-1252 bytes (0x92 0x93 0x94 0x96 0x80).
OUTLOOK_CP1252 = crlf(b"""\
Received: from EX01.buyer.com (10.0.0.5) by EX02.buyer.com with Microsoft SMTP Server
 id 15.1.2507.6; Tue, 3 Nov 2026 09:14:55 +0000
From: Dana Buyer <dana@buyer.com>
To: "Sam Seller" <sam@vendor.io>
CC: "Procurement" <procurement@buyer.com>
Subject: RE: Proposal for Q1
Thread-Topic: Proposal for Q1
Thread-Index: AQHXyz==
Date: Tue, 3 Nov 2026 09:14:52 +0000
Message-ID: <DB7PR01MB1234ABCD@DB7PR01MB1234.eurprd01.prod.outlook.com>
References: <proposal-42@vendor.io>
In-Reply-To: <proposal-42@vendor.io>
Content-Language: en-GB
X-MS-Has-Attach:
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: 8bit
MIME-Version: 1.0

Hi Sam,

We\x92ve decided to go with Acme \x96 their price was \x80 2,000 lower. \
It\x92s \x93final\x94 for this year.

Regards,
Dana

From: Sam Seller <sam@vendor.io>
Sent: 02 November 2026 16:01
To: Dana Buyer <dana@buyer.com>
Subject: Proposal for Q1

Dana, any news on the proposal?
""")

HTML_ONLY_FR = b"""\
From: Claire Acheteuse <claire@acheteuse.fr>
To: sam@vendor.io
Subject: =?windows-1252?Q?R=E9ponse_=E0_votre_message?=
Date: Wed, 04 Nov 2026 14:02:11 +0100
Message-ID: <20261104140211.claire@acheteuse.fr>
In-Reply-To: <intro-7@vendor.io>
MIME-Version: 1.0
Content-Type: text/html; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p{margin:0}</style></head><body>
<p>Bonjour,</p><p>Pas pour le moment, recontactez-moi en septembre, merci =E0 vous.</p>
<div class=3D"gmail_quote">Le mar. 3 nov. 2026 =E0 09:14, Sam Seller a =E9crit=A0:<blockquote>
Bonjour Claire, auriez-vous 15 minutes ?</blockquote></div>
</body></html>
"""

# No MIME-Version, raw UTF-8 bytes in Subject and From, LF endings.
RAW_8BIT_HEADERS = """\
From: Erik Köpare <erik@kopare.se>
To: Sam Seller <sam@vendor.io>
Subject: Sv: Snabb fråga om leverantör
Date: Thu, 5 Nov 2026 08:00:00 +0100
Message-ID: <erik-1@kopare.se>

Vi har redan en leverantör, tack. Hör av dig efter sommaren.

Den tis 3 nov. 2026 kl 09:14 skrev Sam Seller <sam@vendor.io>:
> Hej Erik,
""".encode()

BROKEN_ENCODED_WORDS = b"""\
From: "=?utf-8?B?RGFhbiBLb3Blcg?=" <daan@koper.nl>
To: sam@vendor.io
Subject: =?x-made-up?Q?Nu_niet?= =?utf-8?B?LCBtaXNzY2hpZW4=?= =?utf-8?B?IHZvbGdlbmQgamFhcg==?=
 =?iso-8859-1?q?_=E9=E9n_keer?= =?utf-8?B?###broken###?=
Date: 6 Nov 2026 10:00 +0100
Message-ID: <daan-1@koper.nl>
Content-Type: text/plain; charset=x-unknown
Content-Transfer-Encoding: 8bit

Nu niet, misschien volgend jaar. Groetjes \xe2\x80\x94 Daan
"""

UNKNOWN_CHARSET_LATIN = b"""\
From: Lucia Compradora <lucia@compradora.es>
To: sam@vendor.io
Subject: Re: Pregunta
Date: Fri, 6 Nov 2026 11:00:00 +0100
Message-ID: <lucia-1@compradora.es>
MIME-Version: 1.0
Content-Type: text/plain; charset="unknown-8bit"
Content-Transfer-Encoding: 8bit

Gracias, pero no tenemos presupuesto este a\xf1o. \x93Quiz\xe1s\x94 en marzo.
"""

CR_ONLY = (b"From: Dana Buyer <dana@buyer.com>\rTo: sam@vendor.io\rSubject: Re: Ping\r"
           b"Date: Mon, 9 Nov 2026 09:00:00 -0500\rMessage-ID: <cr-only-1@buyer.com>\r\r"
           b"Not now. Ping me in Q2.\r\rOn Fri, Nov 6, 2026, Sam wrote:\r> Ping\r")

FORWARD_RFC822 = b"""\
From: Sam Seller <sam@vendor.io>
To: sam@vendor.io
Subject: Fwd: Re: Demo next week?
Date: Tue, 10 Nov 2026 12:00:00 +0000
Message-ID: <fwd-1@vendor.io>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

FYI: see below, she said no for now.

--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Re: Demo next week.eml"

From: Priya Shah <priya@buyer.com>
To: Sam Seller <sam@vendor.io>
Subject: Re: Demo next week?
Date: Mon, 9 Nov 2026 17:30:00 +0000
Message-ID: <priya-1@buyer.com>
Content-Type: text/plain; charset=utf-8

We're mid-migration. Come back in February, please.

--outer--
"""

WINMAIL = crlf(b"""\
From: Dana Buyer <dana@buyer.com>
To: Sam Seller <sam@vendor.io>
Subject: RE: Contract
Date: Wed, 11 Nov 2026 10:00:00 +0000
Message-ID: <winmail-1@buyer.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_NextPart_000_0001"

------=_NextPart_000_0001
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

We have no budget left this year, sorry.

------=_NextPart_000_0001
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

eJ8+IgEAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADoAAEIgAcAGAAAAElQTS5NaWNy
------=_NextPart_000_0001--
""")

WINMAIL_ONLY = crlf(b"""\
From: Dana Buyer <dana@buyer.com>
To: Sam Seller <sam@vendor.io>
Subject: RE: Contract
Date: Wed, 11 Nov 2026 10:05:00 +0000
Message-ID: <winmail-2@buyer.com>
MIME-Version: 1.0
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64

eJ8+IgEAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADoAAEIgAcAGAAAAElQTS5NaWNy
""")

DSN_POSTFIX = b"""\
Return-Path: <>
From: MAILER-DAEMON@mx.vendor.io (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: sam@vendor.io
Auto-Submitted: auto-replied
Date: Thu, 12 Nov 2026 08:00:03 +0000 (UTC)
Message-Id: <20261112080003.ABCDEF@mx.vendor.io>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="ABCDEF.1762934403/mx.vendor.io"

This is a MIME-encapsulated message.

--ABCDEF.1762934403/mx.vendor.io
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.vendor.io.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<old.contact@buyer.com>: host mx.buyer.com[192.0.2.10] said: 550 5.1.1
    <old.contact@buyer.com>: Recipient address rejected: User unknown

--ABCDEF.1762934403/mx.vendor.io
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.vendor.io
X-Postfix-Queue-ID: ABCDEF
Arrival-Date: Thu, 12 Nov 2026 08:00:01 +0000 (UTC)

Final-Recipient: rfc822; old.contact@buyer.com
Original-Recipient: rfc822;Old.Contact@buyer.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.buyer.com
Diagnostic-Code: smtp; 550 5.1.1 <old.contact@buyer.com>: Recipient address
    rejected: User unknown

Final-Recipient: rfc822; slow@kaeufer.de
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.kaeufer.de: Connection timed out

--ABCDEF.1762934403/mx.vendor.io
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Sam Seller <sam@vendor.io>
To: old.contact@buyer.com
Subject: Quick question
Message-ID: <quick-1@vendor.io>

--ABCDEF.1762934403/mx.vendor.io--
"""

BOUNCE_QMAIL = b"""\
Return-Path: <>
Date: 13 Nov 2026 09:10:11 -0000
From: MAILER-DAEMON@mail.koper.nl
To: sam@vendor.io
Subject: failure notice
Message-ID: <qmail-bounce-1@mail.koper.nl>

Hi. This is the qmail-send program at mail.koper.nl.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<gone@koper.nl>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

Return-Path: <sam@vendor.io>
From: Sam Seller <sam@vendor.io>
To: gone@koper.nl
Subject: Hallo

Hoi, mag ik u iets vragen?
"""

BOUNCE_EXIM = b"""\
Return-path: <>
X-Failed-Recipients: nobody@acheteuse.fr
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@mx.example-host.net>
To: sam@vendor.io
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1exim-0001@mx.example-host.net>
Date: Sat, 14 Nov 2026 12:00:00 +0000

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  nobody@acheteuse.fr
    host mx.acheteuse.fr [192.0.2.20]
    SMTP error from remote mail server after RCPT TO:<nobody@acheteuse.fr>:
    550 5.1.1 User unknown
"""

AUTOREPLY_DE = b"""\
From: Jonas Kaeufer <jonas.kaeufer@kaeufer.de>
To: Sam Seller <sam@vendor.io>
Subject: =?iso-8859-1?Q?Automatische_Antwort:_Kurze_Frage?=
Date: Mon, 16 Nov 2026 07:00:00 +0100
Message-ID: <ooo-jonas-1@kaeufer.de>
In-Reply-To: <quick-2@vendor.io>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Precedence: bulk
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Vielen Dank f=FCr Ihre Nachricht. Ich bin bis zum 30.11.2026 nicht im B=FCro
und habe keinen Zugriff auf meine E-Mails.
"""

AUTOREPLY_EXCHANGE = crlf(b"""\
From: Dana Buyer <dana@buyer.com>
To: Sam Seller <sam@vendor.io>
Subject: Automatic reply: Proposal for Q1
Date: Mon, 16 Nov 2026 08:00:00 +0000
Message-ID: <ooo-dana-1@buyer.com>
In-Reply-To: <proposal-43@vendor.io>
X-MS-Exchange-Inbox-Rules-Loop: dana@buyer.com
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset="us-ascii"

I am out of the office until Monday, November 23, with limited access to email.
""")

AUTOREPLY_SV_SUBJECT_ONLY = """\
From: Erik Köpare <erik@kopare.se>
To: sam@vendor.io
Subject: Frånvaro: Snabb fråga
Date: Tue, 17 Nov 2026 08:00:00 +0100
Message-ID: <ooo-erik-1@kopare.se>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Jag är tillbaka den 1 december.
""".encode()

NEWSLETTER = b"""\
From: "Buyer Weekly" <news@mail.buyerweekly.com>
To: sam@vendor.io
Subject: This week in procurement
Date: Wed, 18 Nov 2026 06:00:00 +0000
Message-ID: <nl-2026-47@mail.buyerweekly.com>
List-Id: Buyer Weekly <weekly.buyerweekly.com>
List-Unsubscribe: <https://buyerweekly.com/u?x=1>, <mailto:unsub@buyerweekly.com>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><h1>Top stories</h1><p>Read more</p></body></html>
"""

NOTIFICATION_NOREPLY = b"""\
From: Calendar <no-reply@calendar.example-saas.com>
To: sam@vendor.io
Subject: Reminder: Call with Dana
Date: Wed, 18 Nov 2026 07:00:00 +0000
Message-ID: <notif-1@calendar.example-saas.com>
Content-Type: text/plain; charset=utf-8

Your event starts in 15 minutes.
"""

INTERNAL = b"""\
From: Maria Manager <maria@vendor.io>
To: Sam Seller <sam@vendor.io>
Subject: Pipeline review
Date: Wed, 18 Nov 2026 09:00:00 +0000
Message-ID: <internal-1@vendor.io>
Content-Type: text/plain; charset=utf-8

Can you update the Buyer deal before Friday?
"""

SENT_BY_OWNER = b"""\
From: Sam Seller <Sam.Seller@Vendor.io>
To: Dana Buyer <dana@buyer.com>, maria@vendor.io
Subject: Re: Proposal for Q1
Date: Thu, 19 Nov 2026 10:00:00 +0000
Message-ID: <followup-1@vendor.io>
In-Reply-To: <DB7PR01MB1234ABCD@DB7PR01MB1234.eurprd01.prod.outlook.com>
References: <proposal-42@vendor.io>
 <DB7PR01MB1234ABCD@DB7PR01MB1234.eurprd01.prod.outlook.com>
Content-Type: text/plain; charset=utf-8

Thanks Dana, understood. May I ask what made Acme the better fit?
"""

DUPLICATE_HEADERS = b"""\
Received: from mx.buyer.com by mx.vendor.io; Fri, 20 Nov 2026 15:16:17 +0000
From: Dana Buyer <dana@buyer.com>
To: sam@vendor.io
Subject: First subject
Subject: Second subject
Message-ID: <dup-1@buyer.com>
Message-ID: <dup-2@buyer.com>

Still no, sorry.
"""

NO_MESSAGE_ID = b"""\
From: Dana Buyer <dana@buyer.com>
To: sam@vendor.io
Subject: no id
Date: Sat, 21 Nov 2026 10:00:00 +0000

A message without a Message-ID.
"""

APPLE_NL_FLOWED = b"""\
From: Daan Koper <daan@koper.nl>
Content-Type: text/plain; charset=us-ascii; format=flowed; delsp=no
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: Re: Korte vraag
Date: Sun, 22 Nov 2026 20:00:00 +0100
References: <korte-1@vendor.io>
To: Sam Seller <sam@vendor.io>
In-Reply-To: <korte-1@vendor.io>
Message-Id: <A1B2C3D4-apple@koper.nl>
Content-Transfer-Encoding: 7bit

Geen interesse, bedankt. Haal me van de lijst.

Verzonden vanaf mijn iPhone

> Op 20 nov. 2026 om 09:14 heeft Sam Seller <sam@vendor.io> het volgende\x20
> geschreven:
>
> Hoi Daan,
"""

MESSAGES: dict[str, bytes] = {
    "gmail_de": GMAIL_DE,
    "outlook_cp1252": OUTLOOK_CP1252,
    "html_only_fr": HTML_ONLY_FR,
    "raw_8bit_headers": RAW_8BIT_HEADERS,
    "broken_encoded_words": BROKEN_ENCODED_WORDS,
    "unknown_charset_latin": UNKNOWN_CHARSET_LATIN,
    "cr_only": CR_ONLY,
    "forward_rfc822": FORWARD_RFC822,
    "winmail": WINMAIL,
    "winmail_only": WINMAIL_ONLY,
    "dsn_postfix": DSN_POSTFIX,
    "bounce_qmail": BOUNCE_QMAIL,
    "bounce_exim": BOUNCE_EXIM,
    "autoreply_de": AUTOREPLY_DE,
    "autoreply_exchange": AUTOREPLY_EXCHANGE,
    "autoreply_sv_subject_only": AUTOREPLY_SV_SUBJECT_ONLY,
    "newsletter": NEWSLETTER,
    "notification_noreply": NOTIFICATION_NOREPLY,
    "internal": INTERNAL,
    "sent_by_owner": SENT_BY_OWNER,
    "duplicate_headers": DUPLICATE_HEADERS,
    "no_message_id": NO_MESSAGE_ID,
    "apple_nl_flowed": APPLE_NL_FLOWED,
}

EXPECTED_KIND: dict[str, str] = {
    "gmail_de": "inbound", "outlook_cp1252": "inbound", "html_only_fr": "inbound",
    "raw_8bit_headers": "inbound", "broken_encoded_words": "inbound",
    "unknown_charset_latin": "inbound", "cr_only": "inbound", "forward_rfc822": "sent",
    "winmail": "inbound", "winmail_only": "inbound", "dsn_postfix": "bounce",
    "bounce_qmail": "bounce", "bounce_exim": "bounce", "autoreply_de": "auto_reply",
    "autoreply_exchange": "auto_reply", "autoreply_sv_subject_only": "auto_reply",
    "newsletter": "bulk", "notification_noreply": "bulk", "internal": "internal",
    "sent_by_owner": "sent", "duplicate_headers": "inbound", "no_message_id": "inbound",
    "apple_nl_flowed": "inbound",
}

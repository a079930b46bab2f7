"""Replies as real mail clients write them, with the prospect's own words marked.

Written for notnow (not copied from any corpus), reproducing the quirks seen in public fixture
sets: Outlook header blocks in several languages, Gmail/Apple "On … wrote:" lines (also wrapped
onto two lines), "-----Original Message-----", "> " quoting with and without a header line,
signatures with "-- ", sign-offs and phone lines, mobile footers, top and interleaved posting.

Each case: (name, body, own words). `own words` is what a reader should keep, sign-off excluded.
"""

from __future__ import annotations

CASES: list[tuple[str, str, str]] = [
    ("gmail_en",
     "Thanks for reaching out, but we're not looking at this until Q3.\n\n"
     "On Tue, Nov 3, 2026 at 9:14 AM Sam Seller <sam@vendor.io> wrote:\n"
     "> Hi Dana,\n> would you have 15 minutes next week?\n> Sam\n",
     "Thanks for reaching out, but we're not looking at this until Q3."),
    ("gmail_en_wrapped_header",
     "We signed with Acme last month, so no.\n\n"
     "On Tue, Nov 3, 2026 at 9:14 AM Sam Seller from Vendor Incorporated <\n"
     "sam@vendor.io> wrote:\n\n> Hi Dana,\n> a quick follow-up on my note.\n",
     "We signed with Acme last month, so no."),
    ("outlook_en_block",
     "Please remove me from your list.\n\n"
     "________________________________\n"
     "From: Sam Seller <sam@vendor.io>\nSent: Tuesday, November 3, 2026 9:14 AM\n"
     "To: Dana Buyer <dana@buyer.com>\nSubject: Quick question\n\n"
     "Hi Dana, would you have 15 minutes next week?\n",
     "Please remove me from your list."),
    ("outlook_en_no_rule",
     "Budget is frozen until April. Try me then.\n\n"
     "From: Sam Seller [mailto:sam@vendor.io]\nSent: 03 November 2026 09:14\n"
     "To: Dana Buyer\nSubject: RE: Quick question\n\n"
     "Dana, any news on the proposal?\n",
     "Budget is frozen until April. Try me then."),
    ("original_message",
     "Not interested, thanks.\n\n-----Original Message-----\n"
     "From: Sam Seller\nSent: Monday, November 2, 2026 4:01 PM\nTo: Dana\n"
     "Subject: Intro\n\nHello Dana,\nI'd love to show you our product.\n",
     "Not interested, thanks."),
    ("apple_en",
     "I'm not the right person — ask Priya Shah, she runs procurement.\n\n"
     "Sent from my iPhone\n\n"
     "> On 3 Nov 2026, at 09:14, Sam Seller <sam@vendor.io> wrote:\n>\n"
     "> Hi Dana, quick question about your tooling.\n",
     "I'm not the right person — ask Priya Shah, she runs procurement."),
    ("signature_dashdash",
     "We already use a similar tool and are happy with it.\n\n-- \nDana Buyer\n"
     "Head of Operations | Buyer GmbH\n+49 30 1234567\n",
     "We already use a similar tool and are happy with it."),
    ("signoff_and_title",
     "Not a priority this year. Let's talk again in January.\n\nBest regards,\nDana\n"
     "Dana Buyer\nHead of Operations\nBuyer Ltd.\nT: +44 20 7946 0000\n\n"
     "On Mon, Nov 2, 2026 at 4:01 PM Sam Seller <sam@vendor.io> wrote:\n> Hello\n",
     "Not a priority this year. Let's talk again in January."),
    ("quoted_only_gt_no_header",
     "No budget for this.\n\n> Would you have 15 minutes next week?\n> Sam\n",
     "No budget for this."),
    ("de_outlook",
     "Vielen Dank, aber wir haben aktuell kein Budget dafür.\n\n"
     "Mit freundlichen Grüßen\nJonas Käufer\n\n"
     "Von: Sam Seller <sam@vendor.io>\nGesendet: Dienstag, 3. November 2026 09:14\n"
     "An: Jonas Käufer <jonas@kaeufer.de>\nBetreff: Kurze Frage\n\nHallo Jonas,\n",
     "Vielen Dank, aber wir haben aktuell kein Budget dafür."),
    ("de_gmail",
     "Melden Sie sich bitte im Frühjahr wieder.\n\n"
     "Am Di., 3. Nov. 2026 um 09:14 Uhr schrieb Sam Seller <sam@vendor.io>:\n"
     "> Hallo Jonas,\n> hätten Sie kurz Zeit?\n",
     "Melden Sie sich bitte im Frühjahr wieder."),
    ("de_thunderbird",
     "Kein Interesse.\n\nAm 03.11.26 um 09:14 schrieb Sam Seller:\n> Hallo Jonas,\n",
     "Kein Interesse."),
    ("de_original",
     "Bitte nehmen Sie mich aus Ihrem Verteiler.\n\n"
     "-----Ursprüngliche Nachricht-----\nVon: Sam Seller\nGesendet: Montag, 2. November 2026\n"
     "An: Jonas\nBetreff: Angebot\n\nHallo Jonas,\n",
     "Bitte nehmen Sie mich aus Ihrem Verteiler."),
    ("fr_gmail",
     "Merci, mais nous avons déjà choisi un autre prestataire.\n\n"
     "Le mar. 3 nov. 2026 à 09:14, Sam Seller <sam@vendor.io> a écrit :\n"
     "> Bonjour Claire,\n",
     "Merci, mais nous avons déjà choisi un autre prestataire."),
    ("fr_outlook",
     "Pas pour le moment, recontactez-moi en septembre.\n\nCordialement,\nClaire\n\n"
     "De : Sam Seller <sam@vendor.io>\nEnvoyé : mardi 3 novembre 2026 09:14\n"
     "À : Claire Acheteuse <claire@acheteuse.fr>\nObjet : Petite question\n\nBonjour Claire,\n",
     "Pas pour le moment, recontactez-moi en septembre."),
    ("fr_original",
     "Ce n'est pas moi qui décide.\n\n-------- Message d'origine --------\n"
     "De : Sam Seller\nDate : 02/11/2026 16:01\nÀ : Claire\nObjet : Démo\n\nBonjour,\n",
     "Ce n'est pas moi qui décide."),
    ("es_gmail",
     "Gracias, pero no tenemos presupuesto este año.\n\n"
     "El mar, 3 nov 2026 a las 9:14, Sam Seller (<sam@vendor.io>) escribió:\n"
     "> Hola Lucía,\n",
     "Gracias, pero no tenemos presupuesto este año."),
    ("es_outlook",
     "Ya trabajamos con otro proveedor.\n\nSaludos cordiales,\nLucía\n\n"
     "De: Sam Seller <sam@vendor.io>\nEnviado: martes, 3 de noviembre de 2026 9:14\n"
     "Para: Lucía Compradora <lucia@compradora.es>\nAsunto: Pregunta rápida\n\nHola Lucía,\n",
     "Ya trabajamos con otro proveedor."),
    ("nl_gmail",
     "Nu niet, misschien volgend jaar.\n\n"
     "Op di 3 nov. 2026 om 09:14 schreef Sam Seller <sam@vendor.io>:\n> Hoi Daan,\n",
     "Nu niet, misschien volgend jaar."),
    ("nl_outlook",
     "Geen interesse, bedankt.\n\nMet vriendelijke groet,\nDaan\n\n"
     "Van: Sam Seller <sam@vendor.io>\nVerzonden: dinsdag 3 november 2026 09:14\n"
     "Aan: Daan Koper <daan@koper.nl>\nOnderwerp: Korte vraag\n\nHoi Daan,\n",
     "Geen interesse, bedankt."),
    ("sv_gmail",
     "Vi har redan en leverantör, tack.\n\n"
     "Den tis 3 nov. 2026 kl 09:14 skrev Sam Seller <sam@vendor.io>:\n> Hej Erik,\n",
     "Vi har redan en leverantör, tack."),
    ("sv_outlook",
     "Hör av dig efter sommaren.\n\nMed vänliga hälsningar\nErik\n\n"
     "Från: Sam Seller <sam@vendor.io>\nSkickat: den 3 november 2026 09:14\n"
     "Till: Erik Köpare <erik@kopare.se>\nÄmne: Snabb fråga\n\nHej Erik,\n",
     "Hör av dig efter sommaren."),
    ("da_gmail",
     "Det er ikke relevant for os lige nu.\n\n"
     "Den tir. 3. nov. 2026 kl. 09.14 skrev Sam Seller <sam@vendor.io>:\n> Hej Mette,\n",
     "Det er ikke relevant for os lige nu."),
    ("no_outlook",
     "Ta kontakt igjen i mars.\n\nMed vennlig hilsen\nOla\n\n"
     "Fra: Sam Seller <sam@vendor.io>\nSendt: tirsdag 3. november 2026 09:14\n"
     "Til: Ola Kjøper <ola@kjoper.no>\nEmne: Kort spørsmål\n\nHei Ola,\n",
     "Ta kontakt igjen i mars."),
    ("it_gmail",
     "Grazie, ma non siamo interessati.\n\n"
     "Il giorno mar 3 nov 2026 alle ore 09:14 Sam Seller <sam@vendor.io> ha scritto:\n"
     "> Ciao Marco,\n",
     "Grazie, ma non siamo interessati."),
    ("pt_gmail",
     "Agora não, talvez no próximo trimestre.\n\n"
     "Em ter., 3 de nov. de 2026 às 09:14, Sam Seller <sam@vendor.io> escreveu:\n"
     "> Olá João,\n",
     "Agora não, talvez no próximo trimestre."),
    ("multi_paragraph_own",
     "Hi Sam,\n\nThanks for the follow-up. We looked at it with the team.\n\n"
     "The price is too high for us right now; maybe after the budget review in March.\n\n"
     "Thanks,\nDana\n\n"
     "On Tue, Nov 3, 2026 at 9:14 AM Sam Seller <sam@vendor.io> wrote:\n> Hi\n",
     "Hi Sam,\n\nThanks for the follow-up. We looked at it with the team.\n\n"
     "The price is too high for us right now; maybe after the budget review in March."),
    ("mobile_outlook_footer",
     "Not now. Ping me in Q2.\n\nGet Outlook for iOS\n"
     "________________________________\nFrom: Sam Seller <sam@vendor.io>\n"
     "Sent: Tuesday, November 3, 2026 9:14:02 AM\nTo: Dana Buyer <dana@buyer.com>\n"
     "Subject: Quick question\n\nHi Dana\n",
     "Not now. Ping me in Q2."),
    ("disclaimer",
     "We are not the right fit, sorry.\n\n"
     "This e-mail and any attachments are confidential and intended solely for the addressee.\n"
     "If you have received this email in error please notify the sender.\n",
     "We are not the right fit, sorry."),
    ("no_quote_plain",
     "Sorry, not interested.",
     "Sorry, not interested."),
    ("forward_marker",
     "FYI, see below — they said no.\n\n---------- Forwarded message ---------\n"
     "From: Dana Buyer <dana@buyer.com>\nDate: Tue, Nov 3, 2026 at 9:14 AM\n"
     "Subject: Re: Quick question\nTo: Sam Seller <sam@vendor.io>\n\nNot interested.\n",
     "FYI, see below — they said no."),
    ("interleaved_short",
     "> Would Tuesday work?\nNo, and please stop emailing me.\n\n> Sam\n",
     "No, and please stop emailing me."),
]

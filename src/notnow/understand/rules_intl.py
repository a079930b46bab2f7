"""Precise rules in the other languages notnow reads: opt-outs, auto-replies, and cues.

The English rules live in `rules`; these cover German, French, Spanish, Italian, Dutch,
Portuguese, Swedish, Norwegian and Danish, in the same two kinds:

* **hard rules** decide the label: an opt-out phrase ("bitte entfernen Sie mich aus dem
  Verteiler", "ne me contactez plus", "dejen de llamarme", "afmelden") makes `do_not_contact`
  the primary label; an out-of-office, a bounce or a "no longer works here" notice makes it
  `auto_reply`;
* **cues** are precise phrases for the other labels ("kein Budget", "trop cher", "ya tenemos")
  that the reader weighs beside the model (they raise the cue's label, they do not decide).

Patterns are written for the lower-cased text (`textprep.lowered`) and tried for every
supported language at once: a Spanish opt-out in a reply detected as Portuguese still counts.
Each pattern is ours, written from how these things are said, not copied from any data set.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from notnow.core.model import Label
from notnow.understand.patterns import compile_group

_ME = r"(?:mich|uns)"

DNC: dict[str, tuple[str, ...]] = {
    "*": (
        # "I forbid you to call me again", in every language.
        r"\b(?:verbiete|untersage|interdis|prohíbo|prohibo|vieto|verbied|proíbo|proibo"
        r"|förbjuder|forbyr|forbyder)\b.{0,60}\b(?:an(?:zu)?ruf|kontakt|schreib|rappel|appel"
        r"|contact|écrire|llam|escrib|richiam|chiam|scriv|bel|mail|lig|escrev|ring|skriv|send)",
        # "Take me off all your lists" / "remove me from your list", any order.
        r"\b(?:gestrichen|entfernt|gelöscht|ausgetragen|retiré|retirée|supprimé|supprimée|rayé"
        r"|quit(?:e|en|ad|ar)|borr(?:e|en|ad|ar)|elimin(?:e|en|ad|ar)|sac(?:ar|en)|tolt[oa]"
        r"|rimoss[oa]|cancellat[oa]|verwijderd|af\b|retirad[oa]|removid[oa]|tirad[oa]"
        r"|borttagen|borttagna|struken|fjernes|fjernet|slettet|strøget|slettes)"
        r"\b.{0,40}\b(?:listen|listes|listas|liste|lijsten|lijst|listor|lista|lister|listene"
        r"|verteiler|fichiers?|bases?\s+de\s+d)",
        r"\b(?:listen|listes|listas|liste|lijsten|lijst|listor|lister|listene|verteiler)\b"
        r".{0,30}\b(?:gestrichen|entfernt|gelöscht|retiré|supprimé|quitado|borrado|eliminado"
        r"|tolto|rimosso|cancellato|verwijderd|retirado|removido|borttagen|fjernet|slettet)",
        # "Never send me advertising again."
        r"\b(?:nie\s+wieder|nie\s+mehr|niemals|plus\s+jamais|jamais\s+plus|nunca\s+más"
        r"|nunca\s+mas|mai\s+più|nooit\s+meer|nunca\s+mais|aldrig\s+mer|aldri\s+mer"
        r"|aldrig\s+mere|aldrig\s+igen|aldri\s+igjen)\b.{0,40}\b(?:werbung|publicité"
        r"|publicidad|pubblicità|reclame|publicidade|reklam|reklame|e-?mails?|mails?|anruf"
        r"|appel|llam|chiam|bel|lig|ring|kontakt|contact|scriv|escri|schreib|écri|skriv)",
        r"\b(?:werbung|publicité|publicidad|pubblicità|reclame|publicidade|reklam|reklame)\b"
        r".{0,40}\b(?:nie\s+wieder|nie\s+mehr|plus\s+jamais|nunca\s+más|mai\s+più"
        r"|nooit\s+meer|nunca\s+mais|aldrig\s+mer|aldri\s+mer|aldrig\s+mere)",
        # A whole reply that is only "stop" (or "unsubscribe").
        r"^\s*(?:stop|stopp|parar|pare|parem|basta|baja|afmelden|abmelden|avmeld|afmeld|remove|sair)\s*[.!]*\s*$",
        # "Forget my number."
        r"\b(?:vergessen\s+sie|oubliez|olvíde(?:n)?se\s+de|olvide(?:n)?se\s+de|dimenticate|dimentichi|vergeet|esque(?:ç|c)am|esqueça|glöm|glem)\s+(?:bitte\s+)?(?:meine?|mon|mes|mi|il\s+mio|la\s+mia|mijn|o\s+meu|mitt|min|mit)?\s*(?:nummer|numéro|número|numero|adresse|adres|dirección|endereço|adress)",
        # "Call again and I will file a complaint."
        r"\b(?:noch\s*(?:mal|einmal)\s+ein\s+anruf|rufen\s+sie\s+(?:noch\s*(?:mal|einmal)|wieder)\s+an|si\s+vous\s+(?:me\s+)?rappelez|si\s+(?:me\s+)?(?:vuelve[ns]?|volvéis)\s+a\s+llamar|si\s+(?:me\s+)?llama[ns]?\s+(?:otra\s+vez|de\s+nuevo)|se\s+(?:mi\s+)?(?:richiamate|richiama|chiamate\s+ancora)|als\s+(?:u|je|jullie)\s+(?:nog\s+(?:eens|een\s+keer)|weer)\s+belt|se\s+(?:me\s+)?ligar(?:em)?\s+(?:de\s+novo|outra\s+vez|mais\s+uma\s+vez)|ringer\s+(?:ni|dere|i|du)\s+(?:igen|igjen))\b.{0,50}\b(?:anzeige|beschwerde|polizei|anwalt|plainte|police|avocat|denunci\w*|abogado|policía|querela|avvocato|polizia|aangifte|klacht|advocaat|politie|queixa|polícia|advogado|anmälan|polis|advokat|klage|klager|politi|anmeld\w*)",
        # "Where did you get my number? Delete it at once."
        r"\b(?:löschen\s+sie\s+(?:sie|es|das|diese)|effacez-(?:le|la|les)|supprimez-(?:le|la|les)|b[oó]rre(?:lo|la|los)|lo\s+cancelli|la\s+cancelli|verwijder\s+(?:het|die)|apague-(?:o|a|os)|radera\s+(?:det|dem)|slett\s+(?:det|dem)|slet\s+(?:det|dem))\b.{0,12}\b(?:sofort|umgehend|immédiatement|tout\s+de\s+suite|ahora\s+mismo|inmediatamente|subito|immediatamente|meteen|onmiddellijk|já|imediatamente|direkt|genast|med\s+en\s+gang|med\s+det\s+samme|straks)",
    ),
    "de": (
        r"\bnicht\s+mehr\s+zu\s+(?:kontaktieren|anrufen|schreiben|belästigen|mailen|kontaktiert)",
        r"\bum\s+(?:die\s+)?löschung\b|\blöschung\s+(?:meiner|unserer|der)\s+(?:daten|adresse|kontakt)|\bkein(?:en)?\s+(?:weiteren\s+)?kontakt\s+mehr",
        r"\brobinsonliste\b",
        r"\b(?:entfernen|streichen|löschen|nehmen|tragen)\s+sie\s+(?:bitte\s+)?(?:mich|uns|meine|unsere)\b",
        r"\bnie\s+wieder\s+(?:an|anrufen|schreiben|kontaktieren|mailen|melden|belästigen)\b",
        r"\bnicht\s+mehr\s+(?:kontaktiert|angerufen|angeschrieben|belästigt)\b",
        r"\bverbitte\s+(?:mir|uns)\b|\bwerbung\s+(?:ist\s+)?unerwünscht|\bunerwünschte\s+(?:werbung|e-?mails|anrufe)",
        r"\b(?:entfernen|streichen|löschen|nehmen|tragen)\s+sie\s+(?:mich|uns|meine\s+\w+"
        r"|unsere\s+\w+)\b",
        r"\b(?:aus|von)\s+(?:ihrem|ihren|dem|eurem|diesem|ihrer|der|allen)\s+(?:e-?mail-?)?"
        r"(?:verteiler|liste|mailingliste|newsletter|datenbank|kartei|adressliste)",
        r"\bkeine\s+(?:weiteren\s+|weitere\s+)?(?:e-?mails|mails|anrufe|nachrichten|werbung"
        r"|newsletter|kontaktaufnahmen?|zusendungen|werbemails|angebote)\b(?!\s+(?:mehr\s+)?"
        r"(?:lesen|gelesen))",
        r"\bnicht\s+(?:mehr|wieder)\s+(?:kontaktieren|anrufen|anschreiben|schreiben|belästigen"
        r"|kontakt)",
        r"\b(?:kontaktieren|schreiben|rufen|mailen)\s+sie\s+(?:mich|mir|uns)\s+(?:bitte\s+)?"
        r"(?:nicht\s+mehr|nie\s+wieder|nicht\s+wieder|bitte\s+nicht|nicht)\b",
        r"\b(?:hören|hört)\s+sie\s+(?:bitte\s+)?auf\b|\bhören\s+sie\s+auf,?\s+(?:mich|mir|uns)",
        r"\b(?:abmelden|austragen|abbestellen)\b|\bmelden\s+sie\s+mich\s+ab\b",
        r"\bwiderspreche\b.{0,60}\b(?:daten|werbung|nutzung|kontakt)",
        r"\b(?:lassen|lasst)\s+sie\s+(?:mich|uns)\s+(?:bitte\s+)?(?:in\s+ruhe|zufrieden)"
        r"|\blass(?:t)?\s+(?:mich|uns)\s+in\s+ruhe\b",
        r"\bunterlassen\s+sie\b",
        r"\b(?:will|möchte|wollen|möchten)\s+(?:von\s+ihnen\s+)?(?:nichts\s+mehr\s+(?:hören"
        r"|wissen|bekommen|zugeschickt)|nichts\s+mehr\s+von\s+ihnen|keine\s+"
        r"(?:e-?mails|anrufe|werbung|post)\s+mehr)",
        r"\b(?:das|dies)\s+ist\s+spam\b|\bspam\b.{0,30}\b(?:melden|gemeldet)",
        r"\bdsgvo\b.{0,60}\b(?:lösch|widersp|auskunft)",
        r"\b(?:nie|nicht)\s+(?:erlaubt|eingewilligt|zugestimmt)\b",
        r"\bbitte\s+(?:keine|nicht\s+mehr)\s+(?:anrufen|schreiben|mailen|kontaktieren)",
        r"\bnicht\s+(?:mehr|weiter|länger)\s+zu\s+(?:kontaktieren|anrufen|schreiben|belästigen|mailen)",
        r"\blass(?:en|t)?\s+(?:sie\s+)?(?:mich|uns)\s+(?:\w+\s+){0,3}(?:in\s+ruhe|zufrieden)\b(?!\s+(?:über|nach|prüf|an|les|entscheid|durch))",
        r"\b(?:mich|uns)\s+(?:\w+\s+){0,2}(?:in\s+ruhe|zufrieden)\s+(?:zu\s+)?lassen\b",
        r"\bkeine\s+(?:weitere\s+|weiteren\s+)?(?:post|briefe|prospekte|werbeanrufe|werbebriefe)\s+mehr\b",
        r"\blöschen\s+sie\s+(?:bitte\s+)?(?:alle|sämtliche|meine|unsere)\s+(?:\w+\s+)?(?:daten|angaben|kontaktdaten)|\blösch\w*\b.{0,80}\b(?:dsgvo|art\.?\s*17)\b",
        r"\b(?:nehme|nehmen)\s+(?:grundsätzlich\s+)?keine\s+(?:werbe|verkaufs)?anrufe\s+(?:von\s+\w+\s+)?(?:mehr\s+)?an",
        r"\bnie\s+(?:wieder|mehr)\s+(?:etwas|was|irgendetwas)\s+(?:von\s+\w+\s+)?(?:hören|lesen|bekommen)\b",
    ),
    "fr": (
        r"\bne\s+veu(?:t|lent)\s+plus\s+être\s+(?:contacté|appelé|sollicité|démarché|dérangé)|\bne\s+(?:le\s+|la\s+|les\s+)?(?:rappelle|recontacte)\s+(?:jamais|plus)|\bsupprim\w*\s+(?:ses|leurs)\s+données",
        r"\bm'oublier\b|\boubliez-(?:moi|nous)\b",
        r"\bne\s+souhaite\s+pas\s+être\s+(?:re)?(?:contacté|sollicité|démarché|appelé)|\bbloctel\b|\bdémarchage\b.{0,30}\b(?:refuse|stop|plus)",
        r"\bne\s+(?:veux|souhaite|désire)\s+plus\s+(?:de\s+vos|de\s+vos|de\s+ces|recevoir|être|entendre|d'appels|de\s+mails)",
        r"\bmerci\s+de\s+ne\s+plus\b|\bveuillez\s+ne\s+plus\b|\bne\s+plus\s+recevoir\b",
        r"^\s*stop\b\s*[,.!]",
        r"\bd[ée]sinscri|\bd[ée]sabonn",
        r"\bne\s+(?:me|nous)\s+(?:re)?(?:contactez|appelez|écrivez|ecrivez|envoyez|sollicitez"
        r"|relancez)\s+plus\b",
        r"\bne\s+plus\s+(?:me|nous)\s+(?:re)?(?:contacter|appeler|écrire|ecrire|envoyer"
        r"|solliciter|relancer|déranger)",
        r"\b(?:retirez|supprimez|enlevez|rayez|effacez)[- ](?:moi|nous)\b"
        r"|\b(?:retirer|supprimer|enlever|rayer|effacer)\s+(?:mon|mes|notre|nos)\s+(?:adresse"
        r"|coordonnées|données|nom|email|e-mail|numéro)",
        r"\b(?:retirez|supprimez|effacez)\s+(?:mon|mes|notre|nos)\s+\w+",
        r"\b(?:de|des)\s+(?:votre|vos)\s+(?:liste|listes|fichier|fichiers|base)\s+(?:de\s+"
        r"(?:diffusion|données|contacts?|prospection))?",
        r"\bne\s+(?:souhaite|veux|désire)\s+plus\s+(?:recevoir|être\s+(?:contacté|sollicité"
        r"|appelé))",
        r"\b(?:arrêtez|cessez)\s+(?:de\s+m|de\s+nous|tout|vos|les|de\s+(?:me|nous))",
        r"\bcesser\s+(?:tout|toute)\s+(?:contact|communication|envoi|sollicitation)",
        r"\bm'oppose\b|\bopposition\b.{0,40}\b(?:données|prospection)",
        r"\blaissez[- ](?:moi|nous)\s+tranquilles?\b|\bfichez[- ](?:moi|nous)\s+la\s+paix\b",
        r"\bc'est\s+du\s+spam\b|\bsignal(?:é|er)\s+comme\s+spam",
        r"\bplus\s+(?:de|d')\s*(?:mails?|e-mails?|appels|messages|sollicitations)\b",
        r"\bjamais\s+donné\s+(?:mon|notre)\s+(?:accord|consentement)",
        r"\brgpd\b.{0,60}\b(?:suppression|effacement|supprim)",
        r"^\s*stop\s*[.!]*\s*$",
        r"\bne\s+m['’](?:appelez|écrivez|envoyez|contactez|sollicitez)\s+(?:plus|jamais)\b",
        r"\b(?:supprimer|effacer|retirer)\s+(?:toutes\s+|tous\s+)?(?:mes|nos)\s+(?:données|coordonnées|informations)",
        r"\b(?:rayez|enlevez|retirez|supprimez|effacez)\s+(?:mon|mes|notre|nos)\s+\w+",
        r"\b(?:me|nous)\s+(?:retirer|supprimer|rayer|enlever|désinscrire)\s+de\s+(?:vos|votre|la|cette)\b",
        r"\bn['’]accepte\s+(?:pas|plus|aucun)\s+(?:les\s+|d['’])?(?:appels|démarch)\w*\s*(?:commerciaux|téléphonique)?",
    ),
    "es": (
        r"\b(?:b[oó]rr|qu[ií]t|s[aá]c|el[ií]m[ií]n|ret[ií]r)(?:e|en|ad|a)(?:me|nos)\b|\bsalir\s+de\s+(?:la|su|vuestra|esta)\s+(?:lista|base)",
        r"\bfavor\s+de\s+no\s+(?:llamar|escribir|contactar|enviar|marcar)",
        r"\bno\s+quiere[n]?\s+que\s+(?:le|la|lo|les)\s+(?:contactemos|llamemos|escribamos|molestemos)|\bno\s+volvamos\s+a\s+(?:llamar|contactar|escribir)|\bborr(?:emos|ar|en)\s+sus\s+datos",
        r"\bno\s+(?:llamen|escriban|contacten|envíen|manden|molesten)\s+más\b|\bno\s+me\s+interesa\s+recibir\b",
        r"\bno\s+(?:deseo|quiero|deseamos|queremos)\s+(?:ser|que\s+se\s+(?:me|nos))\s+(?:contactad|llamad|escrib|molest)|\bcancelar\s+(?:la\s+|mi\s+)?suscripci[oó]n",
        r"\blista\s+robinson\b|\beliminar\s+mi\s+(?:correo|email|dirección|número|contacto|teléfono)|\bno\s+quiero\s+que\s+(?:me|nos)\s+(?:llamen|escriban|contacten)",
        r"\bno\s+(?:me|nos)\s+(?:vuelva[ns]?|volváis)\s+a\s+(?:contactar|llamar|escribir|molestar|enviar)",
        r"\bno\s+(?:me|nos)\s+(?:llamen|escriban|contacten|manden|envíen)\s+más\b",
        r"\b(?:quiero|queremos)\s+que\s+(?:me|nos)\s+(?:borren|eliminen|quiten|saquen|den\s+de\s+baja)",
        r"\bdar(?:me|nos)?\s+de\s+baja\b|\bdarse\s+de\s+baja\b|^\s*baja\b|\bbaja,?\s+por\s+favor",
        r"\bno\s+(?:me|nos)\s+(?:vuelva[ns]?\s+a\s+)?(?:contacte[ns]?|llame[ns]?|escriba[ns]?"
        r"|env[ií]e[ns]?|moleste[ns]?|contact[eé]is|escribáis|llaméis)\b",
        r"\bno\s+(?:vuelva[ns]?|volváis)\s+a\s+(?:llamar|escribir|contactar|molestar)",
        r"\bdej(?:e|en|ad)\s+de\s+(?:llamar|escribir|enviar|contactar|molestar)",
        r"\b(?:el[ií]m[ií]n|borr|qu[ií]t|sac|retir)(?:e|en|ad|a)(?:me|nos)\b",
        r"\b(?:eliminar|borrar|quitar|sacar|retirar)(?:me|nos)?\s+de\s+(?:su|sus|tu|tus|la|vuestra)"
        r"\s+(?:lista|listas|base|bases|fichero|registro)",
        r"\b(?:borren|eliminen|supriman|borrad|eliminad)\s+(?:mis|nuestros)\s+datos\b",
        r"\bno\s+(?:quiero|deseo|queremos|deseamos)\s+(?:seguir\s+)?(?:recibir|que\s+(?:me|nos)"
        r"\s+(?:llamen|escriban|contacten))",
        r"\b(?:cese[ns]?|cesad)\s+(?:todo|toda|cualquier)",
        r"\bme\s+opongo\b|\bderecho\s+de\s+(?:oposición|supresión)",
        r"\bd[eé]j(?:en|e|adme)(?:me|nos)?\s+en\s+paz\b",
        r"\b(?:esto\s+es|es)\s+spam\b|\bbasta\s+(?:ya\s+)?de\s+(?:correos|llamadas|mensajes"
        r"|emails)",
        r"\bnunca\s+(?:les|os|le|te)\s+di\s+(?:permiso|mi\s+consentimiento)",
        r"^\s*remover\b",
        r"\bno\s+más\s+(?:correos|llamadas|mensajes|emails|publicidad)",
        r"\bsupresión\s+de\s+(?:todos\s+)?(?:mis|nuestros)\s+datos",
        r"\bno\s+(?:acepto|admito|atiendo|aceptamos|admitimos|atendemos)\s+(?:más\s+)?llamadas\s+(?:comerciales|de\s+(?:compañías|empresas|publicidad|venta))",
        r"\bno\s+(?:contacten|llamen|escriban)\s+(?:más\s+)?(?:conmigo|a\s+este\s+número)",
    ),
    "it": (
        r"\b(?:cancellar|rimuover|toglier|disiscriver|eliminar)(?:mi|ci)\b",
        r"\bnon\s+vuol(?:e|ono)\s+più\s+essere\s+(?:contattat|chiamat|disturbat)",
        r"\bnon\s+(?:chiamate|scrivete|contattate|mandate|inviate)\s+più\b|\bannull\w*\s+(?:l'|la\s+)?iscrizione",
        r"\bnon\s+(?:voglio|desidero)\s+(?:più\s+)?ricevere\b|\bregistro\s+(?:pubblico\s+)?delle\s+opposizioni",
        r"\bnon\s+(?:voglio|desidero|vogliamo)\s+(?:più\s+)?essere\s+(?:contattat|chiamat|disturbat|ricontattat)",
        r"\bnon\s+(?:chiamatemi|contattatemi|scrivetemi)\s+più\b",
        r"\b(?:rimuovet|cancellat|togliet|levat)(?:e)?(?:mi|ci)\b|\b(?:rimuovi|cancella|togli)"
        r"(?:mi|ci)\b",
        r"\bnon\s+(?:mi|ci)\s+(?:contatt|chiamat|scrivet|disturbat|mandat|inviat)\w*\s+più\b",
        r"\bnon\s+(?:contattatemi|chiamatemi|scrivetemi|disturbatemi)\b",
        r"\bnon\s+(?:contattar|chiamar|scriver|disturbar|mandar|inviar|ricontattar)(?:mi|ci)"
        r"\s+più\b",
        r"\bnon\s+(?:voglio|desidero|vogliamo|desideriamo)\s+più\s+(?:ricevere|essere)",
        r"\b(?:smettete|smettila|smetta|basta)\s+(?:di\s+(?:chiamar|scriver|contattar|mandar"
        r"|inviar|disturbar)|con\s+(?:queste|le|vostre)\s+(?:e-?mail|chiamate|telefonate))",
        r"\b(?:dalla|dalle|dal)\s+(?:vostra|vostre|vostro|sua|tua)\s+(?:lista|liste|mailing"
        r"|database|elenco|newsletter)",
        r"\bcancellat[oa]\s+dalla\b|\bdisiscri",
        r"\bmi\s+oppongo\b|\bopposizione\s+al\s+trattamento",
        r"\b(?:interrompere|cessare)\s+ogni\s+(?:contatto|comunicazione)",
        r"\blasciatemi\s+in\s+pace\b|\b(?:è|questo\s+è)\s+spam\b",
        r"\bcancellate\s+i\s+miei\s+dati\b|\bmai\s+dato\s+il\s+(?:consenso|permesso)",
        r"\bcancellazione\s+dei\s+(?:miei|nostri)\s+dati",
        r"\b(?:togliete|cancellate|rimuovete|eliminate|levate)\s+(?:il\s+mio|i\s+miei|la\s+mia|le\s+mie)\s+\w+",
        r"\bnon\s+(?:contattar|chiamar|scriver|disturbar|ricontattar)(?:mi|ci)\s+mai\s+più\b",
        r"\bnon\s+(?:accetto|accettiamo)\s+(?:più\s+)?(?:chiamate|telefonate)\s+commerciali",
    ),
    "nl": (
        r"\buit\s+te\s+schrijven\b|\baf\s+te\s+melden\b|\bniet\s+meer\s+te\s+(?:mailen|bellen|contacteren|benaderen|sturen|e-?mailen)",
        r"\b(?:wilt|kunt|zou)\s+u\s+(?:mij|me|ons)\s+(?:\w+\s+){0,4}(?:verwijderen|uitschrijven|afmelden)",
        r"\b(?:bel|mail)\s+(?:niet|nooit)\s+(?:meer|weer)\b|\bgeen\s+(?:reclame|ongevraagde\s+\w+)\b|\bnee-?nee\b",
        r"\bstuur\s+(?:me|mij|ons)\s+geen\b|\bwens\s+(?:geen|niet\s+(?:meer\s+)?(?:te\s+worden|benaderd|gebeld|gemaild))",
        r"\bgelieve\s+(?:mij|me|ons|mijn\s+\w+)\s+(?:\w+\s+){0,5}te\s+verwijderen|\bverwijderd\s+(?:te\s+)?worden\b|\bbel\s+ons\s+niet\b",
        r"\bniet\s+meer\s+(?:gebeld|gemaild|benaderd|lastiggevallen|gecontacteerd)\s+(?:te\s+)?worden",
        r"\balle?\s+contact\s+(?:te\s+)?(?:staken|stoppen|beëindigen)",
        r"\b(?:afmelden|uitschrijven)\b|\bmeld\s+(?:me|mij|ons)\s+af\b|\bschrijf\s+(?:me|mij"
        r"|ons)\s+uit\b",
        r"\b(?:haal|verwijder)\s+(?:me|mij|ons|mijn\s+\w+)\b",
        r"\bniet\s+(?:meer|langer)\s+(?:mailen|bellen|benaderen|contacteren|lastigvallen"
        r"|benaderd|gebeld|gemaild)",
        r"\b(?:geen|niet\s+meer)\s+(?:e-?mails?|mails?|berichten|telefoontjes|contact)\s+meer\b"
        r"|\bwil\s+geen\s+(?:e-?mails?|mails?|berichten|reclame)",
        r"\bneem\s+geen\s+contact\s+meer\b|\bmail\s+(?:me|mij)\s+niet\s+meer\b"
        r"|\bbel\s+(?:me|mij)\s+niet\s+meer\b",
        r"\bstop\s+(?:met|nu\s+met)\s+(?:bellen|mailen|benaderen|sturen|mij)",
        r"\b(?:van|uit)\s+(?:jullie|uw|de|je)\s+(?:lijst|mailinglijst|bestand|database"
        r"|verzendlijst)",
        r"\bbezwaar\s+tegen\b|\blaat\s+(?:me|mij|ons)\s+met\s+rust\b|\bdit\s+is\s+spam\b",
        r"\b(?:nooit|geen)\s+toestemming\s+(?:gegeven|voor)",
        r"\bverwijder\s+mijn\s+gegevens\b|\bbel-?me-?niet\b",
        r"\b(?:persoons)?gegevens\s+(?:\w+\s+){0,3}(?:te\s+)?(?:verwijderen|wissen)\b",
        r"\bstuur\s+(?:me|mij|ons)\s+(?:niets|niks)\s+meer\b",
        r"\blaat\s+(?:me|mij|ons)\s+(?:\w+\s+){0,2}met\s+rust\b",
        r"\b(?:me|mij|ons)\s+(?:\w+\s+){0,2}met\s+rust\s+(?:te\s+)?laten\b",
        r"\b(?:van|uit)\s+(?:al\s+|alle\s+)?(?:jullie|uw|je)\s+\w*(?:lijst|lijsten|bestand|bestanden)\b",
        r"\b(?:me|mij|ons)\s+niet\s+meer\s+(?:belt|mailt|benadert|stuurt|lastigvalt|contacteert)\b",
    ),
    "pt": (
        r"\b(?:favor|por\s+favor)\s+(?:me\s+)?remover\b|\bnão\s+(?:envie|mande|ligue|contacte|contate|escreva)\s+mais\b",
        r"\bcancelar\s+(?:o\s+)?(?:envio|recebimento)|\bsair\s+d[ao]s?\s+(?:lista|mailing|base|cadastro)",
        r"\bnão\s+quer(?:em)?\s+ser\s+(?:mais\s+)?(?:contactad|contatad|incomodad)|\bnunca\s+mais\s+(?:ligássemos|ligar|contactar|contatar)|\bapag\w*\s+os\s+(?:seus\s+)?(?:dados|contactos|contatos)",
        r"\bnão\s+(?:liguem|ligue|contactem|contatem|mandem|enviem|escrevam)\s+mais\b|\bdeixem?\s+de\s+(?:me\s+|nos\s+)?(?:ligar|enviar|mandar|contactar|contatar|escrever)",
        r"\bretir(?:em|e|ar)\s+(?:o\s+|os\s+)?(?:meu|meus|nosso)\s+(?:contacto|contato|número|email|e-mail|dados)|\bnão\s+autorizo\b|^\s*parem\b",
        r"\bremov(?:a|am|er|e)\s+(?:o\s+|os\s+)?(?:meu|meus|nosso|nossos)\s+|\bremover\s+(?:da|das|do)\s+(?:lista|base|cadastro)|\bparar\s+de\s+receber\b",
        r"\b(?:me|nos)\s+tir(?:a|e|em)\s+d[ao]s?\s+(?:lista|listas|cadastro|base)",
        r"\bnão\s+(?:me|nos)\s+(?:liguem|contactem|contatem|escrevam|mandem|enviem)\s+mais\b",
        r"\bnão\s+(?:quero|desejo)\s+(?:mais\s+)?ser\s+(?:contactad|contatad|incomodad)",
        r"\b(?:remov|exclu|tir|apag|retir)(?:a|am|e|em)-(?:me|nos)\b"
        r"|\b(?:me|nos)\s+(?:remov|exclu|tir|retir|descadastr)(?:a|am|e|em)\b",
        r"\bdescadastr|\bcancelar\s+(?:a\s+)?(?:subscrição|assinatura|inscrição)",
        r"\bnão\s+(?:me|nos)\s+(?:contact|ligu|escrev|mand|envi|incomod)\w*\s*(?:mais)?\b",
        r"\bnão\s+(?:quero|desejo|queremos|desejamos)\s+(?:mais\s+)?(?:receber|ser\s+contactad"
        r"|ser\s+contatad)",
        r"\bparem\s+de\s+(?:me\s+|nos\s+)?(?:ligar|enviar|escrever|contactar|contatar"
        r"|mandar|incomodar)",
        r"\b(?:da|das)\s+(?:vossa|vossas|sua|suas)\s+(?:lista|listas|base|mailing)",
        r"\b(?:apaguem|eliminem|excluam)\s+(?:os\s+)?(?:meus|nossos)\s+dados\b",
        r"\bcessem\s+qualquer\s+contacto|\bcessem\s+qualquer\s+contato|\boponho-me\b",
        r"\b(?:me|nos)\s+deixem\s+em\s+paz\b|\bdeixem-(?:me|nos)\s+em\s+paz\b"
        r"|\bisto\s+é\s+spam\b|\bchega\s+de\s+(?:emails|e-mails|mensagens|ligações|chamadas)",
        r"\bnunca\s+(?:dei|autorizei)\b.{0,20}\b(?:autorização|consentimento|permissão)?",
        r"\b(?:eliminação|exclusão|apagamento|remoção)\s+(?:de\s+|dos\s+)?(?:todos\s+)?(?:os\s+)?(?:meus|nossos)\s+dados",
        r"\bnão\s+(?:entrem|entre)\s+mais\s+em\s+conta(?:c)?to",
        r"\bnão\s+precisa(?:m)?\s+(?:me\s+)?(?:ficar\s+)?(?:ligar|ligando)\s*(?:mais|de\s+novo)?",
    ),
    "sv": (
        r"\bavprenumerera\b|\bradera\s+(?:mig|oss)\b",
        r"\bvill\s+inte\s+(?:bli\s+)?kontakta[ds]\s+(?:mer|igen)",
        r"\bnix-?(?:registret|telefon)\b|\binte\s+(?:ringa|kontakta|mejla)\s+(?:mig|oss)\s+(?:igen|mer)",
        r"\b(?:skriv|ring|mejla|maila|kontakta)\s+(?:inte|aldrig)\s+(?:till\s+)?(?:mig|oss|igen|mer|hit)\b",
        r"\bvill\s+inte\s+(?:bli\s+)?(?:kontaktad|uppringd|störd)",
        r"\b(?:ta|plocka)\s+bort\s+(?:mig|oss|mina\s+\w+)\b",
        r"\bavregistrera\b|\bavsluta\s+(?:prenumerationen|utskicken)\b|\bavanmäl",
        r"\b(?:kontakta|ring|mejla|maila|skriv\s+till)\s+(?:mig|oss)\s+inte\b",
        r"\bsluta\s+(?:att\s+)?(?:ringa|mejla|maila|skicka|kontakta|skriva)",
        r"\b(?:inga|vill\s+inte\s+ha\s+(?:några\s+)?)\s*(?:fler\s+)?(?:mejl|mail|utskick|samtal"
        r"|erbjudanden)\b.{0,15}(?:tack|från\s+er|mer)?",
        r"\bvill\s+inte\s+(?:få|bli\s+kontaktad|ha\s+fler)",
        r"\bradera\s+(?:mina|våra)\s+(?:uppgifter|data)\b|\bur\s+(?:ert|era)\s+(?:register"
        r"|lista|system)",
        r"\bfrån\s+(?:er|era|din|er)\s+(?:lista|listor|register|utskickslista|mejllista)",
        r"\bmotsätter\s+mig\b|\blåt\s+(?:mig|oss)\s+vara\s+(?:i\s*fred|ifred)\b"
        r"|\bdet\s+här\s+är\s+spam\b|\bupphöra\s+med\s+all\s+kontakt",
        r"\braderar?\s+(?:alla\s+)?(?:mina|våra)\s+(?:person)?uppgifter",
        r"\bskicka\s+(?:inget|inte\s+något|inga)\s+(?:mer|fler)",
        r"\b(?:i|hos)\s+nix\b|\blämna\s+(?:mig|oss)\s+i\s*fred\b",
        r"\b(?:ta|plocka)\s+bort\s+(?:min|mitt|mina|vår|vårt|våra)\s+\w+",
        r"\bring\s+inte\s*(?:[.!]|$|mer\b|igen\b)",
    ),
    "no": (
        r"\bslett\s+(?:meg|oss)\b",
        r"\bvil\s+ikke\s+(?:bli\s+)?kontakte[st]\s+(?:mer|igjen)",
        r"\breservert\s+mot\b|\breservasjonsregister",
        r"\b(?:skriv|ring|send|kontakt)\s+(?:ikke|aldri)\s+(?:til\s+)?(?:meg|oss|igjen|mer)\b",
        r"\bslett\s+(?:mine\s+|våre\s+)?(?:opplysning|data|informasjon|kontaktinfo)",
        r"\b(?:ønsker|vil)\s+ikke\s+(?:å\s+)?(?:bli\s+kontaktet|motta|bli\s+oppringt)",
        r"\bfjern\s+(?:meg|oss|mine\s+\w+)\b|\bta\s+(?:meg|oss)\s+(?:ut|bort)\b",
        r"\bmeld\s+(?:meg|oss)\s+av\b|\bavslutt\s+(?:abonnementet|utsendelsene)\b|\bavmeld",
        r"\bikke\s+(?:kontakt|ring|send|skriv)\s+(?:til\s+)?(?:meg|oss)\b",
        r"\b(?:kontakt|ring|send|skriv\s+til)\s+(?:meg|oss)\s+ikke\b",
        r"\bslutt\s+å\s+(?:ringe|sende|maile|kontakte|skrive)",
        r"\b(?:ingen|vil\s+ikke\s+ha)\s+(?:flere\s+)?(?:e-?poster|e-?post|mailer|utsendelser"
        r"|henvendelser|oppringninger|samtaler)\b",
        r"\bslett\s+(?:mine|våre)\s+(?:opplysninger|data)\b|\bfra\s+(?:listen|registeret|listene)"
        r"\s+deres\b|\bav\s+listen\b",
        r"\breserverer\s+(?:meg|oss)\b|\bla\s+(?:meg|oss)\s+være\s+i\s+fred\b"
        r"|\bdette\s+er\s+spam\b|\bstanse\s+all\s+kontakt",
        r"\bslett(?:er|e)?\s+(?:alle\s+)?(?:mine\s+)?(?:person)?opplysning",
        r"\bprotesterer\s+mot\b.{0,60}\bmarkedsføring",
        r"\bfjern\s+(?:adressen|nummeret|e-?posten|navnet)\s+(?:min|mitt|mine)\b",
        r"\bønsker\s+ikke\s+(?:flere|mer)\s+\w+",
        r"\bikke\s+ring\b",
    ),
    "da": (
        r"\bslet\s+(?:mig|os)\b",
        r"\bvil\s+ikke\s+(?:blive\s+)?kontakte[st]\s+(?:mere|igen)",
        r"\brobinson\w*",
        r"\b(?:skriv|ring|send|kontakt)\s+(?:ikke|aldrig)\s+(?:til\s+)?(?:mig|os|igen|mere)\b",
        r"\b(?:ønsker|vil)\s+ikke\s+(?:at\s+)?(?:blive\s+kontaktet|modtage|blive\s+ringet)",
        r"\bfjern\s+(?:mig|os|mine\s+\w+)\b|\btag\s+(?:mig|os)\s+(?:ud|af)\b",
        r"\bafmeld\b|\bafmelde\b|\bframeld",
        r"\b(?:kontakt|ring\s+til|skriv\s+til|send)\s+(?:mig|os)\s+ikke\b"
        r"|\bikke\s+(?:kontakte|ringe\s+til|skrive\s+til)\s+(?:mig|os)\b",
        r"\bstop\s+med\s+at\s+(?:ringe|sende|maile|kontakte|skrive)",
        r"\b(?:ingen|ønsker\s+ikke\s+(?:at\s+modtage\s+)?)\s*(?:flere\s+)?(?:mails|e-?mails"
        r"|henvendelser|opkald|nyhedsbreve)\b",
        r"\bønsker\s+ikke\s+at\s+(?:modtage|blive\s+kontaktet)",
        r"\bslet\s+(?:mine|vores)\s+(?:oplysninger|data)\b|\bfra\s+(?:jeres|din)\s+(?:liste"
        r"|register|mailingliste)",
        r"\bfrabeder\s+(?:mig|os)\b|\blad\s+(?:mig|os)\s+være\s+i\s+fred\b"
        r"|\bdet\s+her\s+er\s+spam\b|\bstoppe\s+al\s+kontakt",
        r"\bhold\s+op\s+med\s+at\s+(?:ringe|sende|maile|kontakte|skrive)",
        r"\bslet(?:ter)?\s+(?:alle\s+)?(?:mine|vores)\s+(?:person)?oplysninger",
        r"\bindsigelse\s+mod\b",
        r"\bvil\s+ikke\s+have\s+flere\s+\w+|\bvil\s+ikke\s+(?:ringes\s+op|kontaktes|forstyrres)",
        r"\bfjern\s+(?:min|mit)\s+\w+",
        r"\blad\s+være\s+med\s+at\s+(?:ringe|skrive|sende|maile|kontakte)",
    ),
    "zh": (
        r"退订|取消订阅|退阅|不要再(?:联系|打|发|给)|别再(?:联系|打|发|给)|请勿(?:再)?(?:联系|打扰|发送)"
        r"|(?:从|把我从).{0,10}(?:名单|列表)中?(?:删除|移除)|不再(?:接收|收到)|拉黑|垃圾邮件",
    ),
}

AUTO: dict[str, tuple[str, ...]] = {
    "*": (
        # "This address is no longer in use."
        r"\b(?:adresse|dirección|direccion|indirizzo|adres|endereço|adressen|adressa|e-?mail)"
        r"\b.{0,30}\b(?:wird\s+nicht\s+mehr|ist\s+nicht\s+mehr\s+(?:aktiv|gültig|erreichbar)"
        r"|n'est\s+plus\s+(?:utilisée|active|valide|consultée)|ya\s+no\s+(?:se\s+(?:utiliza|usa"
        r"|revisa)|está\s+activa)|non\s+è\s+più\s+(?:in\s+uso|attiv|utilizzat)|wordt\s+niet"
        r"\s+meer|já\s+não\s+(?:é|está)|não\s+é\s+mais|används\s+inte\s+längre|brukes\s+ikke"
        r"\s+lenger|bruges\s+ikke\s+længere)",
        # "Reachable again from …"
        r"\b(?:wieder\s+erreichbar|de\s+nouveau\s+joignable|disponible\s+de\s+nuevo"
        r"|de\s+nuevo\s+disponible|di\s+nuovo\s+raggiungibile|weer\s+bereikbaar|novamente"
        r"\s+disponível|nåbar\s+igen|tilgjengelig\s+igjen|træffes\s+igen|tilgængelig\s+igen)",
        # Holidays named as compounds: "im Weihnachtsurlaub", "juleferie", "kerstvakantie".
        r"\bim\s+\w*urlaub\b|\b\w*(?:juleferie|julledig\w*|kerstvakantie|sommerferie"
        r"|vinterferie|påskeferie)\b.{0,30}\b(?:til|till|tot|bis)\b",
        r"\b(?:adresse|dirección|direccion|indirizzo|adres|endereço|adressen|adressa|e-?mail\w*|correo|cuenta|konto)\b.{0,30}\b(?:er\s+ikke\s+(?:længere|lenger)\s+i\s+(?:brug|bruk)|är\s+inte\s+längre\s+i\s+bruk|is\s+niet\s+meer\s+in\s+gebruik|não\s+está\s+mais\s+ativ|ya\s+no\s+está\s+activ|n'est\s+plus\s+active)",
        r"\b(?:fri|ledig)\s+(?:fra\s+|från\s+)?\d{1,2}\.?\s*[-–]\s*\d{1,2}\.?\s*\w+",
        r"\b(?:inte|ikke)\s+på\s+kontoret\b",
        # "… has left the company."
        r"\b(?:ha\s+lasciato|a\s+quitté|ha\s+dejado|deixou"
        r"|har\s+lämnat|har\s+forlatt|har\s+forladt)\s+(?:l['’]azienda|la\s+società|l['’]entreprise"
        r"|la\s+société|notre\s+société|la\s+empresa|a\s+empresa|bedrijf|företaget|selskapet|firmaet"
        r"|virksomheden|l['’]ufficio|la\s+compañía|a\s+companhia)",
        # Delivery-failure notices as mail servers word them in each language ("Échec de la
        # remise", "Zustellung fehlgeschlagen", "mancato recapito", "falha na entrega").
        r"\b(?:échec\s+de\s+(?:la\s+)?(?:remise|livraison|distribution)|impossible\s+de"
        r"\s+(?:remettre|distribuer)\s+(?:le|ce|votre)\s+message|message\s+non\s+(?:remis"
        r"|distribué)|zustellung\s+(?:ist\s+)?fehlgeschlagen|nachricht\s+(?:wurde|konnte)\s+"
        r"nicht\s+zugestellt|error\s+(?:de|en\s+la)\s+entrega|mensaje\s+no\s+entregado"
        r"|entrega\s+fallida|no\s+se\s+(?:pudo|ha\s+podido)\s+entregar|mancat[ao]\s+(?:recapito"
        r"|consegna)|consegna\s+(?:non\s+riuscita|fallita)|impossibile\s+consegnare"
        r"|(?:bezorging|aflevering)\s+(?:is\s+)?mislukt|(?:kon|kan)\s+niet\s+(?:worden\s+)?"
        r"(?:bezorgd|afgeleverd)|falha\s+(?:na|de)\s+entrega|mensagem\s+não\s+entregue"
        r"|não\s+foi\s+possível\s+entregar|leveransfel|leveransen\s+misslyckades|leveringsfeil"
        r"|leveringen\s+mislyktes|leveringsfejl|leveringen\s+mislykkedes)",
        # "The group / address you wrote to does not exist" (list servers and mail hosts).
        r"\b(?:el\s+grupo|la\s+dirección|el\s+destinatario|el\s+buzón|le\s+groupe|l['’]adresse"
        r"|le\s+destinataire|il\s+gruppo|l['’]indirizzo|o\s+grupo|o\s+endereço|de\s+groep"
        r"|het\s+adres)\b.{0,80}?\b(?:no\s+existe|n['’]existe\s+pas|non\s+esiste|não\s+existe"
        r"|bestaat\s+niet)\b",
    ),
    "de": (
        r"\bnicht\s+mehr\s+(?:bei|in)\s+(?:der|dem|unserer|unserem)\s+(?:firma|unternehmen|gesellschaft|haus)",
        r"\b(?:bin|ist|sind)\s+(?:\w+\s+){0,4}nicht\s+(?:erreichbar|am\s+arbeitsplatz)\b",
        r"\bnach\s+meiner\s+rückkehr\b|\bwieder\s+zur\s+verfügung\b|\bnicht\s+am\s+platz\b",
        r"\burlaubsbedingt|\bkrankheitsbedingt|\bbefinde\s+mich\s+(?:im|in|auf|bis|derzeit|zurzeit)\b|\bmeine\s+vertretung\b|\bvertreten\s+(?:von|durch)\b",
        r"\b(?:bin|ist|sind)\s+(?:\w+\s+){0,3}abwesend\b",
        r"\bwieder\s+da\b|\burlaub\s+bis\b|\bnicht\s+weitergeleitet\b",
        r"\babwesenheit|\bnicht\s+im\s+(?:büro|haus|hause|office)\b|\baußer\s+haus\b",
        r"\b(?:bin|sind)\s+(?:ich\s+|wir\s+)?(?:bis|vom|ab|zwischen|derzeit|zurzeit|momentan"
        r"|aktuell)\b.{0,60}?\b(?:abwesend|nicht\s+(?:erreichbar|da|am\s+platz|im\s+büro)"
        r"|im\s+urlaub|in\s+(?:elternzeit|urlaub|mutterschutz)|außer\s+haus|unterwegs)",
        r"\b(?:im|in)\s+(?:urlaub|elternzeit|mutterschutz)\b.{0,40}\b(?:bis|ab|zurück|wieder)",
        r"\bkeinen\s+zugriff\s+auf\s+(?:meine\s+)?e-?mails?",
        r"\b(?:wieder|zurück)\s+(?:erreichbar|im\s+büro|da|am\s+platz|für\s+sie\s+da)\b",
        r"\bautomatische\s+(?:antwort|nachricht)|\bautomatisch\s+(?:generiert|erstellt)",
        r"\bnicht\s+mehr\s+(?:im\s+unternehmen|bei\s+uns|für\s+(?:uns|\w+)\s+tätig|in\s+"
        r"unserem\s+unternehmen)|\bhat\s+(?:das|unser)\s+unternehmen\s+verlassen",
        r"\b(?:konnte|kann)\s+nicht\s+zugestellt\s+werden|\bunzustellbar|\badresse\s+(?:ist\s+)?"
        r"unbekannt|\bempfänger\s+unbekannt",
        r"\bin\s+dringenden\s+fällen\b",
        r"\b(?:unser\s+)?büro\s+ist\s+(?:bis|vom|zwischen|über)\b.{0,40}\bgeschlossen",
        r"\b(?:erreichen\s+sie\s+mich|mich\s+erreichen\s+sie)\b.{0,40}\bwieder\b",
        r"\b(?:gruppe|adresse|empfänger|postfach)\b.{0,60}\bnicht\s+(?:vorhanden|gefunden)\b",
    ),
    "fr": (
        r"\bne\s+fais\s+plus\s+partie",
        r"\b(?:pendant|durant)\s+mon\s+absence\b|\bà\s+mon\s+retour\b|\bde\s+retour\b|\ben\s+vacances\b|\ben\s+congés?\b",
        r"\bje\s+n'aurai\s+pas\s+accès\b|\bje\s+serai\s+absente?\b",
        r"\bne\s+fait\s+plus\s+partie\b|\bn'est\s+plus\s+(?:en\s+poste|chez|dans|au\s+sein|employée?)",
        r"\bje\s+reviens\b|\bje\s+rentre\s+le\b|\ben\s+(?:congés?|vacances)\s+jusqu",
        r"\babsente?s?\s+(?:du\s+bureau|jusqu|du\s+\d|à\s+partir|cette\s+semaine|actuellement)",
        r"\bje\s+(?:suis|serai)\s+(?:actuellement\s+)?(?:absente?|en\s+(?:congés?|vacances"
        r"|déplacement|formation|arrêt|télétravail))",
        r"\b(?:de\s+)?retour\s+(?:le|au\s+bureau|à\s+partir|dès|lundi|mardi|mercredi|jeudi"
        r"|vendredi|en)\b",
        r"\bréponse\s+automatique|\bmessage\s+automatique|\bgénéré\s+automatiquement",
        r"\bpour\s+toute\s+(?:urgence|demande\s+urgente)|\ben\s+cas\s+d'urgence",
        r"\bn'(?:est|fait)\s+plus\s+(?:partie|en\s+poste|au\s+sein|dans|chez)",
        r"\bn'a\s+pas\s+pu\s+être\s+(?:remis|délivré|distribué)|\badresse\s+introuvable"
        r"|\bdestinataire\s+inconnu",
        r"\ben\s+congé\s+(?:maternité|paternité|parental|maladie)",
        r"\bbureaux?\s+(?:sont|est|seront|sera)\s+fermés?\b",
        r"\bsans\s+accès\s+à\s+(?:mes|ma)\s+(?:e-?mails?|messagerie|courriels?)",
    ),
    "es": (
        r"\bya\s+no\s+(?:formo|forma)\s+parte",
        r"\b(?:durante\s+)?mi\s+ausencia\b|\ba\s+mi\s+(?:regreso|vuelta)\b|\bde\s+vacaciones\b|\bausente\b",
        r"\bno\s+(?:me\s+encuentro|estoy)\s+en\s+la\s+oficina\b|\bno\s+tendré\s+acceso\b",
        r"\bme\s+reincorporo\b|\breincorporaré\b|\bno\s+estaré\s+en\s+la\s+oficina",
        r"\bfuera\s+de\s+(?:la\s+)?oficina\b",
        r"\b(?:estoy|estaré|me\s+encuentro|estaremos)\s+(?:de\s+)?(?:vacaciones|viaje"
        r"|baja|ausente|fuera)\b",
        r"\bausente\b.{0,40}\b(?:hasta|desde|del|oficina)",
        r"\bno\s+estaré\s+disponible\b",
        r"\brespuesta\s+automática|\bmensaje\s+automático|\bgenerado\s+automáticamente",
        r"\bsin\s+acceso\s+al?\s+(?:correo|e-?mail)",
        r"\b(?:volveré|regreso|regresaré|estaré\s+de\s+vuelta|de\s+vuelta\s+el)\b",
        r"\bya\s+no\s+(?:trabaja|forma\s+parte|está\s+en)\b",
        r"\bno\s+se\s+ha\s+podido\s+entregar|\bno\s+pudo\s+ser\s+entregado|\bla\s+dirección"
        r"\s+no\s+existe",
        r"\b(?:para|en\s+caso\s+de)\s+(?:urgencias|asuntos\s+urgentes)",
        r"\b(?:la\s+)?oficina\s+(?:permanece|permanecerá|estará)\s+cerrada",
        r"\boficinas?\s+(?:permanece|permanecen|permanecerá|permanecerán|estará|estarán|están|está)\s+cerrad",
        r"\b(?:permiso|baja)\s+(?:de|por)\s+(?:maternidad|paternidad)",
    ),
    "it": (
        r"\bnon\s+sarò\s+(?:raggiungibile|disponibile|reperibile)\b|\bassente\s+(?:fino|dal|per|da)\b|\bin\s+congedo\b",
        r"\bal\s+mio\s+(?:rientro|ritorno)\b|\b(?:durante\s+)?la\s+mia\s+assenza\b|\bin\s+(?:ferie|vacanza)\b",
        r"\bsarò\s+assente\b|\bnon\s+sarò\s+in\s+ufficio\b|\bnon\s+(?:ho|avrò)\s+accesso\b",
        r"\bdi\s+nuovo\s+in\s+ufficio\b|\bin\s+ufficio\s+dal\b",
        r"\bfuori\s+(?:ufficio|sede)\b",
        r"\b(?:sono|sarò|saremo)\s+(?:in\s+(?:ferie|vacanza|maternità|trasferta|malattia)"
        r"|assente|fuori)\b",
        r"\b(?:rientrerò|ritornerò|tornerò|rientro|sarò\s+di\s+ritorno)\b",
        r"\brisposta\s+automatica|\bmessaggio\s+automatico|\bgenerato\s+automaticamente",
        r"\bsenza\s+accesso\s+alla\s+posta",
        r"\bnon\s+(?:lavora|fa)\s+più\s+(?:presso|parte|in|con)",
        r"\bnon\s+è\s+stato\s+recapitato|\bindirizzo\s+inesistente|\bimpossibile\s+recapitare",
        r"\bper\s+(?:urgenze|questioni\s+urgenti)",
        r"\bufficio\s+(?:resterà|rimarrà|è)\s+chiuso",
        r"\buffic[io]\s+(?:resterà|resteranno|rimarrà|rimarranno|è|sono|sarà|saranno)\s+chius",
    ),
    "nl": (
        r"\bmet\s+vakantie\b|\b(?:na\s+mijn\s+)?(?:terugkomst|terugkeer)\b|\bben\s+(?:ik\s+)?vrij\b|\bmet\s+verlof\b",
        r"\bafwezig\b|\b(?:ik\s+ben|ben\s+ik)\b.{0,40}\bniet\s+(?:aanwezig|op\s+kantoor|bereikbaar)\b",
        r"\b(?:ben\s+ik|ik\s+ben)\s+(?:weer\s+)?terug\b|\bben\s+ik\s+er\s+niet\b",
        r"\b(?:ben|zijn)\s+(?:ik\s+|we\s+)?(?:met\s+(?:vakantie|verlof|zwangerschapsverlof)"
        r"|op\s+(?:vakantie|reis))",
        r"\b(?:weer|terug)\s+(?:op\s+kantoor|aanwezig|bereikbaar|op\s+post)\b",
        r"\bautomatisch\s+(?:antwoord|bericht|gegenereerd)",
        r"\bwerkt\s+niet\s+meer\s+(?:bij|voor)\b|\bis\s+niet\s+meer\s+werkzaam",
        r"\bkon\s+niet\s+worden\s+afgeleverd|\bonbekend\s+adres|\bonbestelbaar",
        r"\bvoor\s+dringende\s+(?:zaken|vragen)",
        r"\bkantoor\s+is\s+(?:gesloten|dicht)",
        r"\bik\s+ben\s+er\s+niet\b",
        r"\blees\s+(?:mijn\s+)?(?:e-?mail|mail)\s+niet\b|\b(?:ik\s+ben|ben\s+ik)\s+ziek\b",
        r"\bheeft\s+(?:het|ons)\s+(?:bedrijf|kantoor)\s+verlaten\b",
    ),
    "pt": (
        r"\bjá\s+não\s+(?:faço|faz)\s+parte",
        r"\b(?:de|em)\s+férias\b|\b(?:no|ao)\s+meu\s+(?:regresso|retorno)\b|\bminha\s+ausência\b|\bausente\b",
        r"\b(?:estou|estarei)\s+em\s+férias\b",
        r"\bfora\s+do\s+escritório\b",
        r"\b(?:estou|estarei|encontro-me|estaremos)\s+(?:de\s+(?:férias|licença|viagem)"
        r"|ausente|fora|em\s+viagem)",
        r"\b(?:regresso|retorno|volto|voltarei|regressarei|retornarei)\b.{0,40}\b(?:dia|em|na|no"
        r"|a\s+\d|\d)",
        r"\bresposta\s+automática|\bmensagem\s+automática|\bgerada\s+automaticamente",
        r"\b(?:acesso\s+limitado|sem\s+acesso)\s+ao\s+(?:e-?mail|correio)",
        r"\bjá\s+não\s+(?:trabalha|faz\s+parte)|\bnão\s+trabalha\s+mais\b",
        r"\bnão\s+pôde\s+ser\s+entregue|\bendereço\s+inexistente",
        r"\b(?:para|em\s+caso\s+de)\s+(?:assuntos\s+)?urgentes?\b",
        r"\bescritório\s+(?:está|estará)\s+fechado",
    ),
    "sv": (
        r"\bpå\s+semester\b|\bfrånvaro\b|\bsemester\b.{0,30}\b(?:till|t\.o\.m|tom|från|mellan)\b|\bföräldraledig|\btjänstledig",
        r"\btillbaka\s+(?:på\s+)?(?:mandag|tirsdag|onsdag|torsdag|fredag|måndag|tisdag|lördag|søndag|söndag|lørdag)\b",
        r"\b(?:jag\s+är|är\s+jag)\s+(?:på\s+(?:semester|resa|tjänsteresa)|ledig|borta"
        r"|föräldraledig|tjänstledig|sjukskriven|frånvarande)\b",
        r"\b(?:tillbaka|åter)\s+(?:på\s+kontoret|i\s+tjänst|den\s+\d|på\s+\w+dag|\d)",
        r"\bautosvar\b|\bautomatiskt\s+(?:svar|meddelande)",
        r"\b(?:har\s+slutat|arbetar\s+inte\s+längre)\b",
        r"\bkunde\s+inte\s+levereras|\bokänd\s+adress",
        r"\bvid\s+brådskande\s+ärenden",
        r"\bkontoret\s+är\s+stängt",
        r"\b(?:läser|har)\s+(?:inte|ingen|begränsad)\s+(?:mejl|mail|e-post|tillgång)",
    ),
    "no": (
        r"\bpå\s+ferie\b|\bfravær\b|\bborte\s+(?:fra|til|denne|i|på)\b|\bferie\s+(?:til|fra|frem)\b|\bpermisjon\b",
        r"\btilbake\s+(?:på\s+)?(?:mandag|tirsdag|onsdag|torsdag|fredag|måndag|tisdag|lördag|søndag|söndag|lørdag)\b",
        r"\bjeg\s+er\s+(?:på\s+(?:ferie|reise|tjenestereise)|borte|ute\s+av\s+kontoret"
        r"|i\s+(?:foreldrepermisjon|permisjon)|sykmeldt|fraværende)\b",
        r"\b(?:tilbake|tilstede)\s+(?:på\s+kontoret|den\s+\d|på\s+\w+dag|\d|igjen)",
        r"\bautomatisk\s+(?:svar|melding)|\bautosvar\b",
        r"\bhar\s+sluttet\s+i\b|\bjobber\s+ikke\s+lenger\b|\ber\s+ikke\s+lenger\s+ansatt",
        r"\bkunne\s+ikke\s+leveres|\bukjent\s+adresse",
        r"\bved\s+(?:hastesaker|akutte\s+spørsmål|presserende)",
        r"\bkontoret\s+er\s+stengt",
        r"\bleser\s+ikke\s+e-?post",
        r"\bhar\s+sluttet\s+(?:i|hos)\b",
    ),
    "da": (
        r"\bpå\s+ferie\b|\bfravær\b|\bvæk\s+(?:fra|til|denne|i|på)\b|\bferie\s+(?:til|fra|frem)\b|\bbarsel\b",
        r"\btilbage\s+(?:på\s+)?(?:mandag|tirsdag|onsdag|torsdag|fredag|måndag|tisdag|lördag|søndag|söndag|lørdag)\b",
        r"\bjeg\s+er\s+(?:på\s+(?:ferie|rejse|barsel)|væk|ude\s+af\s+kontoret|fraværende"
        r"|syg|ikke\s+på\s+kontoret)\b|\bafholder\s+(?:i\s+øjeblikket\s+)?ferie",
        r"\b(?:tilbage|vender\s+tilbage)\s+(?:på\s+kontoret|den\s+\d|på\s+\w+dag|\d|igen)",
        r"\bautosvar\b|\bautomatisk\s+(?:svar|besked)",
        r"\ber\s+ikke\s+længere\s+ansat|\bhar\s+forladt\s+(?:virksomheden|firmaet)"
        r"|\ber\s+stoppet\s+i\b",
        r"\bkunne\s+ikke\s+leveres|\bukendt\s+adresse",
        r"\bi\s+hastesager\b",
        r"\bkontoret\s+er\s+lukket",
        r"\blæser\s+ikke\s+mails?",
        r"\ber\s+fratrådt\b",
    ),
    "zh": (
        r"自动回复|自動回覆|不在办公室|休假|外出|出差|年假|产假|已离职|已經離職|无法投递|退信",
    ),
}

SUSPECT: tuple[str, ...] = (
    # "Where did you get my number?" — a data-protection complaint, often an opt-out, not
    # always: the contact is held until the person decides.
    r"\b(?:woher\s+haben\s+sie|où\s+avez-vous\s+(?:eu|trouvé|obtenu|pris)|de\s+dónde\s+"
    r"(?:ha|han|has)\s+(?:sacado|obtenido|conseguido)|dove\s+(?:ha|avete)\s+(?:preso|trovato"
    r"|avuto)|hoe\s+(?:komt|kom|komen)\s+(?:u|je|jullie)\s+aan|onde\s+(?:arranjou|conseguiu"
    r"|obteve|arranjaram|conseguiram)|var\s+har\s+ni\s+fått|hvor\s+har\s+(?:dere|du|i)\s+"
    r"(?:fått|fået))\b.{0,40}\b(?:nummer|numéro|número|numero|adresse|dirección|direccion"
    r"|indirizzo|adres|endereço|adress|e-?mail|daten|données|datos|dati|gegevens|dados"
    r"|uppgifter|opplysninger|oplysninger|kontakt)",
    # "Delete it at once" (the number, the address, the data?).
    r"\b(?:löschen\s+sie\s+(?:sie|es|das|diese)|effacez-(?:le|la|les)|supprimez-(?:le|la|les)"
    r"|bórre(?:lo|la|los)|borre(?:lo|la|los)|lo\s+cancelli|la\s+cancelli|verwijder\s+(?:het|die)"
    r"|apague-(?:o|a|os)|radera\s+(?:det|dem)|slett\s+(?:det|dem)|slet\s+(?:det|dem))\b",
)
"""Phrases that make an opt-out possible without settling it (`suspect`)."""

CUES: dict[Label, tuple[str, ...]] = {
    Label.NO_BUDGET: (
        r"\bkein(?:e|en)?\s+(?:budget|geld|mittel)|\bbudget\s+(?:ist\s+)?(?:aufgebraucht"
        r"|ausgeschöpft|erschöpft|verplant|weg)|\bausgabenstopp\b|\bnicht\s+leisten",
        r"\b(?:pas|plus)\s+(?:de|d')\s*budget|\bbudget\s+(?:est\s+)?(?:épuisé|consommé|gelé)"
        r"|\bpas\s+les\s+moyens\b",
        r"\bno\s+(?:tenemos|hay)\s+(?:presupuesto|dinero|partida)|\bpresupuesto\s+(?:está\s+)?"
        r"(?:agotado|gastado|cerrado)|\bgastado\s+todo\s+el\s+presupuesto|\bpermit[ií]rnoslo\b",
        r"\bnon\s+(?:abbiamo|c'è)\s+(?:budget|fondi|soldi)|\bbudget\s+(?:è\s+)?(?:esaurito"
        r"|finito)|\bpermettercelo\b",
        r"\bgeen\s+(?:budget|geld)|\bbudget\s+is\s+op\b|\buitgavenstop|\bniet\s+veroorloven",
        r"\bnão\s+(?:temos|há)\s+(?:orçamento|verba|dinheiro)|\borçamento\s+(?:já\s+)?"
        r"(?:acabou|esgotado)",
        r"\bingen\s+budget|\bbudgeten\s+är\s+slut|\binte\s+råd\b",
        r"\bikke\s+(?:budsjett|budget|råd)\b|\bbudsjettet\s+er\s+brukt|\bbudgettet\s+er\s+brugt",
    ),
    Label.PRICE: (
        r"\bzu\s+teuer\b|\bpreis\s+(?:ist\s+)?zu\s+hoch|\bgünstiger(?:es)?\b",
        r"\btrop\s+cher\b|\bprix\s+(?:est\s+)?trop|\bmoins\s+cher|\bmoitié\s+prix",
        r"\b(?:demasiado|muy)\s+caro\b|\bcarísim|\bmás\s+barato|\bprecio\s+(?:es\s+)?(?:muy\s+)?"
        r"alto",
        r"\btroppo\s+caro\b|\bcostoso\b|\bprezzo\s+(?:è\s+)?troppo|\bpiù\s+economico",
        r"\bte\s+duur\b|\bgoedkoper\b|\bprijs\s+(?:is\s+)?te\s+hoog",
        r"\b(?:caro\s+demais|muito\s+caro)\b|\bmais\s+barato|\bpreço\s+(?:é\s+)?(?:muito\s+)?alto",
        r"\b(?:för|for|alt\s+for|alldeles\s+för|altfor)\s+dyr[te]?\b|\bbilligere?\b",
        # "At half the price…", "I didn't think it cost that much", "a bit on the dear side".
        r"\bzum\s+halben\s+preis|\bà\s+moitié\s+prix|\bmitad\s+de(?:l)?\s+precio"
        r"|\bmetà\s+prezzo|\bhalve\s+prijs|\bmetade\s+do\s+preço|\bhalva\s+priset"
        r"|\bhalv(?:e)?\s+pris|\bhalvparten\b",
        r"\bso\s+viel\s+kostet|\bcoût(?:ait|e)\s+aussi\s+cher|\bcost(?:ara|aba|ase)\s+tanto"
        r"|\bcost(?:a|asse|ava)\s+così\s+tanto|\bzoveel\s+kost|\bcust(?:a|asse|ava)\s+tanto"
        r"|\bkostade?\s+så\s+mycket|\bkostet\s+så\s+mye|\bkostede\s+så\s+meget|\bdyrt\b"
        r"|\bi\s+dyraste\s+laget|\bi\s+dyreste\s+laget|\bi\s+den\s+dyre\s+ende|\bhappig\b",
    ),
    Label.COMPETITOR_CHOSEN: (
        r"\b(?:für|mit)\s+(?:einen|einem|eine)\s+(?:anderen|anderer|andere)\s+(?:anbieter"
        r"|dienstleister|lieferanten|partner)\s+entschieden|\bzuschlag\b|\bmitbewerber\b",
        r"\bchoisi\s+(?:un\s+autre|une\s+autre)|\bsigné\s+avec\b|\bretenu\s+un\s+autre"
        r"|\battribué\s+à",
        r"\b(?:elegido|contratado)\s+(?:a\s+)?otr[oa]|\bfirmado\s+con\b|\badjudicad[oa]\b"
        r"|\bdecantado\s+por",
        r"\bscelto\s+(?:un\s+altro|un'altra)|\bfirmato\s+con\b|\baggiudicat",
        r"\bgekozen\s+voor\s+een\s+andere|\bgetekend\s+bij\b|\bgegund\s+aan",
        r"\bescolhemos\s+outr[oa]|\bassin(?:á|a)mos\s+com|\bfechamos\s+com|\boptámos\s+por"
        r"|\boptamos\s+por",
        r"\bvalt\s+en\s+annan|\bvalgt\s+en\s+anden|\bvalgt\s+en\s+annen|\bkonkurrent\b",
    ),
    Label.HAS_SOLUTION: (
        r"\bbereits\s+(?:eine|einen|ein)\b|\b(?:haben|nutzen)\s+(?:wir\s+)?(?:schon|bereits)\b"
        r"|\bvertraglich\s+gebunden|\bzufrieden\w*\s+(?:mit|kunde)",
        r"\bavons\s+déjà\b|\bdéjà\s+(?:un|une|équipés)|\bsous\s+contrat|\bsatisfaits?\s+de",
        r"\bya\s+(?:tenemos|contamos|trabajamos|usamos)\b|\bcontentos\s+con\b",
        r"\babbiamo\s+già\b|\bgià\s+(?:un|una|coperti)|\bsoddisfatti\s+del",
        r"\b(?:hebben|gebruiken)\s+(?:we\s+)?al\b|\btevreden\s+(?:met|over)",
        r"\bjá\s+(?:temos|usamos|trabalhamos)\b|\bsatisfeitos\s+com",
        r"\bhar\s+redan\b|\bhar\s+allerede\b|\bnöjda\s+med|\bfornøyd\s+med|\btilfredse\s+med",
        # "I'm very happy with what I have."
        r"\b(?:sehr|rundum|vollauf|bestens)\s+zufrieden\b|\bkjempefornøyd|\bsuperfornøyd"
        r"|\bjättenöjd|\bmeget\s+tilfreds\b|\bsatisfeit[oa]s?\s+com\s+o\s+que"
        r"|\bcontent[oa]s?\s+con\s+lo\s+que|\bcontente?s?\s+de\s+ce\s+que|\bcontentissim"
        r"|\btevreden\s+met\s+wat\b",
    ),
    Label.NO_NEED: (
        r"\bkeinen\s+bedarf\b|\bbrauchen\s+(?:wir\s+)?(?:das\s+)?nicht\b|\bbenötigen\s+\w+\s+nicht",
        r"\bpas\s+besoin\b|\bn'en\s+avons\s+pas\s+besoin",
        r"\bno\s+lo\s+necesitamos\b|\bno\s+(?:nos\s+)?hace\s+falta",
        r"\bnon\s+(?:ne\s+)?abbiamo\s+bisogno",
        r"\bgeen\s+behoefte\b|\bhebben\s+(?:het|dat)\s+niet\s+nodig",
        r"\bnão\s+precisamos\b",
        r"\binget\s+behov\b|\bikke\s+behov\b",
    ),
    Label.WRONG_PERSON: (
        r"\bnicht\s+zuständig\b|\bfalsche[rn]?\s+ansprechpartner|\bnicht\s+der\s+richtige",
        r"\bpas\s+(?:moi|la\s+bonne\s+personne)|\bpas\s+mon\s+service",
        r"\bno\s+soy\s+(?:yo|la\s+persona)|\bno\s+me\s+ocupo\b",
        r"\bnon\s+sono\s+(?:io|la\s+persona)|\bnon\s+è\s+di\s+mia\s+competenza",
        r"\bdaar\s+ga\s+ik\s+niet\s+over|\bniet\s+de\s+juiste\s+persoon",
        r"\bnão\s+sou\s+(?:eu|a\s+pessoa)",
        r"\bfel\s+person\b|\bfeil\s+person\b|\bden\s+forkerte\b",
    ),
    Label.GATEKEEPER: (
        r"\bin\s+einer\s+besprechung\b|\bausrichten\b|\bkeine\s+verkaufsgespräche",
        r"\ben\s+réunion\b|\bprendre\s+un\s+message\b|\bson\s+assistante?\b",
        r"\b(?:está\s+)?reunid[oa]\b|\bdejar(?:le)?\s+(?:un\s+)?recado\b|\bsu\s+secretaria\b",
        r"\bin\s+riunione\b|\blasciare\s+un\s+messaggio\b|\bla\s+sua\s+segretaria\b",
        r"\bin\s+(?:een\s+)?vergadering\b|\bboodschap\s+doorgeven",
        r"\bem\s+reunião\b|\bdeixar\s+recado\b",
        r"\bsitter\s+i\s+möte\b|\bsitter\s+i\s+møte\b|\blämna\s+ett\s+meddelande"
        r"|\blegge\s+igjen\s+en\s+beskjed|\blægge\s+en\s+besked",
    ),
    Label.NO_AUTHORITY: (
        r"\b(?:vorstand|geschäftsführung|chef)\b.{0,30}\b(?:abgelehnt|nein\s+gesagt|nicht\s+frei)"
        r"|\bfreigabe\b",
        r"\b(?:direction|patron|comité)\b.{0,30}\b(?:refusé|dit\s+non|pas\s+d'accord)",
        r"\b(?:dirección|jefe|consejo)\b.{0,30}\b(?:rechazado|no\s+lo\s+autoriza|dijo\s+que\s+no)",
        r"\b(?:direzione|capo|consiglio)\b.{0,30}\b(?:bocciato|non\s+approva|detto\s+di\s+no)",
        r"\b(?:directie|baas|bestuur)\b.{0,30}\b(?:afgewezen|nee\s+gezegd|niet\s+akkoord)",
        r"\b(?:direção|chefe|conselho)\b.{0,30}\b(?:recusou|não\s+aprova|disse\s+que\s+não)",
        r"\b(?:ledningen|styrelsen|styret|bestyrelsen|chefen)\b.{0,20}\b(?:sagt|sa|sagde)\s+nej",
        # "I'm not the one who decides."
        r"\bnicht\s+(?:der|die)\s+entscheider|\bentscheide\s+(?:das\s+)?nicht\b"
        r"|\bpas\s+(?:du\s+tout\s+)?(?:le\s+|la\s+)?décideu|\bpas\s+moi\s+qui\s+décide"
        r"|\bno\s+(?:soy\s+(?:yo\s+)?(?:quien|el\s+que|la\s+que)\s+decide|decido\s+yo)"
        r"|\bnon\s+(?:sono\s+io\s+(?:a|che)\s+decid|decido\s+io)|\bik\s+beslis\s+(?:dat|het"
        r"|daar)\s+niet|\bnão\s+(?:sou\s+eu\s+que(?:m)?\s+decid|decido\s+eu)"
        r"|\binte\s+jag\s+som\s+bestämmer|\bikke\s+jeg\s+som\s+bestemmer"
        r"|\bikke\s+mig,?\s+der\s+bestemmer",
    ),
    Label.BAD_EXPERIENCE: (
        r"\bschlechte\s+erfahrung|\baufdringlich|\benttäuscht",
        r"\bmauvaise\s+expérience|\bharcel|\bdéçus?\b",
        r"\bmala\s+experiencia|\bdecepcionad|\bpesad[oa]s?\b",
        r"\bbrutta\s+esperienza|\bdelus[io]\b|\binsistente",
        r"\bslechte\s+ervaring|\bopdringerig|\bteleurgesteld",
        r"\bmá\s+experiência|\bdesiludid|\binsistente",
        r"\bdåliga?\s+erfarenhet|\bdårlig\s+erfaring|\bdårlige\s+erfaringer|\bpåträngande"
        r"|\bpåtrengende|\bpåtrængende",
    ),
    Label.NOT_NOW: (
        r"\b(?:im\s+moment|momentan|derzeit|zurzeit|aktuell)\s+(?:nicht|passt|leider)"
        r"|\bmelden\s+sie\s+sich\s+(?:bitte\s+)?(?:im|in|nach|wieder)|\bspäter\s+(?:gerne|wieder)"
        r"|\bnächstes\s+jahr\b",
        r"\bpas\s+(?:le\s+bon\s+moment|maintenant|pour\s+l'instant)|\brecontactez|\brappelez"
        r"|\brevenez\s+vers|\brelancez",
        r"\b(?:ahora\s+(?:mismo\s+)?no|por\s+ahora\s+no|todavía\s+no)\b|\bmás\s+adelante"
        r"|\bvuelva\s+a\s+(?:contactar|llamar)|\bllámeme\s+(?:después|en|la)",
        r"\b(?:per\s+ora|al\s+momento|adesso)\s+no\b|\bmi\s+(?:ri)?contatti|\bmi\s+richiami"
        r"|\bne\s+riparliamo",
        r"\bnu\s+(?:even\s+)?niet\b|\bneem\s+(?:later|in|na)\b|\bbel\s+me\s+(?:maar\s+)?(?:na|in)",
        r"\bpor\s+agora\s+não\b|\bainda\s+não\b|\bvolte\s+a\s+falar|\bligue-me\s+depois",
        r"\binte\s+(?:nu|än|just\s+nu)\b|\bikke\s+(?:nå|nu|ennå|endnu)\b|\båterkom\b"
        r"|\bhör\s+av\s+dig|\bta\s+kontakt\s+igjen|\bkontakt\s+mig\s+igen|\bvend\s+tilbage",
        # "Let me sleep on it."
        r"\b(?:drüber|darüber)\s+(?:\w+\s+){0,4}schlafen|\bla\s+nuit\s+porte\s+conseil"
        r"|\bcon\s+la\s+almohada|\bdormirci\s+sopra|\bnachtje\s+over\s+(?:\w+\s+)?slapen"
        r"|\bsova\s+på\s+(?:saken|det)|\bsove\s+på\s+(?:det|saken)|\bsove\s+på\b",
    ),
    Label.INTERESTED: (
        r"\bklingt\s+interessant|\bschicken\s+sie\s+mir|\bwas\s+(?:würde|kostet)"
        r"|\btermin\s+für\s+eine\s+demo",
        r"\bça\s+m'intéresse|\benvoyez-moi|\bcombien\s+(?:cela|ça)\s+coûte",
        r"\bme\s+interesa\b|\bpuede\s+enviar|\bcuánto\s+costar",
        r"\bmi\s+interessa\b|\bpuò\s+mandarmi|\bquanto\s+costerebbe",
        r"\bklinkt\s+interessant|\bwat\s+kost\b|\bstuur\s+me",
        r"\btenho\s+interesse|\bpode\s+enviar|\bquanto\s+custaria",
        r"\blåter\s+intressant|\bhøres\s+interessant|\blyder\s+interessant|\bvad\s+kostar"
        r"|\bhva\s+koster|\bhvad\s+koster",
    ),
}


class IntlHit(NamedTuple):
    label: Label
    start: int
    end: int
    lang: str
    hard: bool


@cache
def _hard(label: Label) -> list[tuple[str, re.Pattern[str]]]:
    """One label's hard patterns (`DNC`, `AUTO`), compiled at their first use: English replies
    never pay for them, and a short English reply checked for a foreign opt-out compiles only
    the opt-out ones. What the compiler made of them is kept between processes
    (`patterns.compile_group`)."""
    table = DNC if label is Label.DO_NOT_CONTACT else AUTO
    keys = [lang for lang, pats in table.items() for _ in pats]
    compiled = compile_group(f"intl-{label.value}", [p for pats in table.values() for p in pats],
                             re.MULTILINE)
    return list(zip(keys, compiled, strict=True))


@cache
def _cues() -> list[tuple[Label, re.Pattern[str]]]:
    keys = [label for label, pats in CUES.items() for _ in pats]
    compiled = compile_group("intl-cues", [p for pats in CUES.values() for p in pats],
                             re.MULTILINE)
    return list(zip(keys, compiled, strict=True))


@cache
def _suspects() -> list[re.Pattern[str]]:
    return compile_group("intl-suspects", SUSPECT, re.MULTILINE)


_FOOTER = re.compile(
    r"(?:klicken\s+sie|cliquez|haga\s+clic|clicca|klik\s+hier|clique\s+aqui|klicka|klikk"
    r"|klik\s+her|hier\s+abmelden|se\s+désinscrire\s+ici|darse\s+de\s+baja\s+aquí"
    r"|newsletter\s+abbestellen|pour\s+vous\s+désinscrire|para\s+darse\s+de\s+baja"
    r"|om\s+je\s+af\s+te\s+melden|um\s+sich\s+abzumelden|per\s+disiscriverti)"
)
"""A mailing footer's opt-out offer ("pour vous désinscrire, cliquez ici") is boilerplate."""


_DEPARTED_OTHER = re.compile(
    r"\b(?:mein|meine|unser|unsere|min|mitt|vår|vårt|vores|mon|ma|notre|mi|il\s+mio|la\s+mia|mijn|onze"
    r"|o\s+meu|a\s+minha)\s+(?:\w+\s+)?(?:ansprechpartner\w*|kontakt\w*|contact\w*"
    r"|interlocut\w*|referente|contactpersoon|chef|sponsor|champion|jefe|capo|baas|chefe)\b"
    r"[^.!?\n]{0,60}$"
)
""""Mein Ansprechpartner hat das Unternehmen verlassen" tells why a deal stalled; it is no
departure notice."""


def _line(low: str, start: int, end: int) -> str:
    a = low.rfind("\n", 0, start) + 1
    b = low.find("\n", end)
    return low[a:] if b == -1 else low[a:b]


def hard_hits(low: str, labels: tuple[Label, ...] = (Label.DO_NOT_CONTACT, Label.AUTO_REPLY)
              ) -> list[IntlHit]:
    """Opt-out and auto-reply phrases in `low` (lower-cased text), the first of each label
    (of `labels` only, when given)."""
    out: list[IntlHit] = []
    for label in labels:
        for lang, pattern in _hard(label):
            m = pattern.search(low)
            if m is None:
                continue
            if label is Label.DO_NOT_CONTACT and _FOOTER.search(_line(low, m.start(),
                                                                       m.end())):
                continue
            if (label is Label.AUTO_REPLY
                    and _DEPARTED_OTHER.search(low, max(0, m.start() - 80), m.start())):
                continue
            out.append(IntlHit(label, m.start(), m.end(), lang, True))
            break
    return out


def suspect(low: str) -> bool:
    """Whether `low` holds a phrase that makes an opt-out possible (`SUSPECT`)."""
    return any(p.search(low) is not None for p in _suspects())


def cue_hits(low: str) -> list[IntlHit]:
    """Cue phrases for the other labels (the first found for each label)."""
    out: list[IntlHit] = []
    seen: set[Label] = set()
    for label, pattern in _cues():
        if label in seen:
            continue
        m = pattern.search(low)
        if m is not None:
            seen.add(label)
            out.append(IntlHit(label, m.start(), m.end(), "", False))
    return out

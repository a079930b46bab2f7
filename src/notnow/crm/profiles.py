"""The header sets of the exports notnow recognises, and recognising a file by its headers.

A `Profile` is one kind of export file of one CRM: the headers it writes (compared after
`norm_header`: case, spacing, dashes, a trailing `*` do not matter), the field each is read
into, and the anchors that identify it. Where each header set came from is written down in
tests/crm/fixtures/README.md.

Pipedrive's headers are `<Object> - <Field>` ("Deal - Title", "Person - Email - Work") in the
language of the exporting user; they are generated here from the objects' and fields' names in
English, German, French, Spanish, Portuguese and Italian. Salesforce is read in its two file
shapes: API names (Data Loader, `sf data query`; Data Loader writes them in capitals) and report
labels ("Opportunity Owner", with the totals and confidentiality lines reports append).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from notnow.crm.fields import FIELDS
from notnow.crm.records import Kind, Source

_DASHES = re.compile(r"\s*[\-\u2010-\u2015\u2212]\s*")
_WS = re.compile(r"\s+")


def norm_header(header: str) -> str:
    """The form headers are compared in: NFC, case-folded, one space, dashes as " - " between
    words, no zero-width characters, no trailing `*` (Pipedrive's mark of a required column)."""
    h = unicodedata.normalize("NFC", header)
    h = h.replace("\ufeff", "").replace("\u200b", "").replace("\u00a0", " ")
    h = h.replace("\u2019", "'").replace("\u2018", "'")
    h = _WS.sub(" ", h).strip().strip('"').strip()
    h = h.rstrip("*").strip()
    h = _DASHES.sub(lambda m: " - " if " " in m.group(0) else "-", h)
    return h.casefold()


@dataclass(frozen=True)
class Profile:
    key: str
    source: Source
    kind: Kind
    title: str
    columns: Mapping[str, str]
    """Normalised header → field key; the order is the priority between columns that feed one
    field (the first with a value wins)."""
    anchors: tuple[frozenset[str], ...]
    """Each set must meet at least one header of the file."""
    excludes: frozenset[str] = frozenset()
    prefixes: Mapping[str, str] = field(default_factory=dict)
    """Header prefixes read into a field ("person - email" → every email column)."""
    defaults: Mapping[str, str] = field(default_factory=dict)
    """Field → value when no column gives one (a HubSpot calls export: type "call")."""

    def field_for(self, normed: str) -> str | None:
        hit = self.columns.get(normed)
        if hit is not None:
            return hit
        for prefix, key in self.prefixes.items():
            if normed.startswith(prefix):
                return key
        return None

    def matches(self, normed: set[str]) -> bool:
        if self.excludes & normed:
            return False
        return all(anchor & normed for anchor in self.anchors)


def _cols(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for header, key in pairs:
        out.setdefault(norm_header(header), key)
    return out


def _each(key: str, *headers: str) -> list[tuple[str, str]]:
    return [(h, key) for h in headers]


# --- HubSpot ------------------------------------------------------------------------------------

_HS_ASSOC_COMPANY = ("Associated Company", "Associated Company (Primary)", "Company Name",
                     "Company name")
_HS_ASSOC_COMPANY_ID = ("Associated Company IDs (Primary)", "Associated Company IDs",
                        "Associated Company ID", "Company ID")

HUBSPOT_CONTACTS = Profile(
    "hubspot.contacts", Source.HUBSPOT, Kind.CONTACT, "HubSpot contacts export",
    _cols([
        *_each("contact.id", "Record ID", "Contact ID"),
        *_each("contact.first_name", "First Name"),
        *_each("contact.last_name", "Last Name"),
        *_each("contact.email", "Email", "Additional email addresses"),
        *_each("contact.phone", "Phone Number", "Mobile Phone Number"),
        *_each("contact.title", "Job Title"),
        *_each("contact.role", "Buying Role"),
        *_each("contact.account", *_HS_ASSOC_COMPANY),
        *_each("contact.account_id", *_HS_ASSOC_COMPANY_ID),
        *_each("contact.owner", "Contact owner"),
        *_each("contact.email_opt_out", "Unsubscribed from all email"),
    ]),
    anchors=(frozenset({"record id", "contact id"}),
             frozenset(norm_header(h) for h in ("First Name", "Last Name", "Email",
                                                "Contact owner", "Lead Status",
                                                "Lifecycle Stage"))),
    excludes=frozenset({"deal name", "deal stage"}),
    prefixes={"opted out of email:": "contact.unsubscribed"},
)

HUBSPOT_COMPANIES = Profile(
    "hubspot.companies", Source.HUBSPOT, Kind.ACCOUNT, "HubSpot companies export",
    _cols([
        *_each("account.id", "Record ID", "Company ID"),
        *_each("account.name", "Company name", "Name"),
        *_each("account.domain", "Company Domain Name"),
        *_each("account.website", "Website URL"),
        *_each("account.industry", "Industry"),
        *_each("account.employees", "Number of Employees"),
        *_each("account.country", "Country/Region", "Country"),
        *_each("account.region", "State/Region"),
        *_each("account.city", "City"),
        *_each("account.owner", "Company owner"),
    ]),
    anchors=(frozenset({"record id", "company id"}),
             frozenset({"company name", "company domain name", "company owner"})),
    excludes=frozenset({"first name", "last name", "deal name", "deal stage"}),
)

HUBSPOT_DEALS = Profile(
    "hubspot.deals", Source.HUBSPOT, Kind.DEAL, "HubSpot deals export",
    _cols([
        *_each("deal.id", "Record ID", "Deal ID"),
        *_each("deal.title", "Deal Name"),
        *_each("deal.stage", "Deal Stage"),
        *_each("deal.value", "Amount", "Amount in company currency"),
        *_each("deal.currency", "Currency", "Deal currency code"),
        *_each("deal.close_date", "Close Date"),
        *_each("deal.owner", "Deal owner"),
        *_each("deal.lost_reason", "Closed Lost Reason"),
        *_each("deal.is_won", "Is Closed Won", "Is closed won"),
        *_each("deal.is_closed", "Is Deal Closed?", "Is closed"),
        *_each("deal.account", "Associated Company", "Associated Company (Primary)"),
        *_each("deal.account_id", *_HS_ASSOC_COMPANY_ID),
        *_each("deal.contact", "Associated Contact"),
        *_each("deal.contact_id", "Associated Contact IDs", "Associated Contact ID"),
    ]),
    anchors=(frozenset({"record id", "deal id"}),
             frozenset({"deal name", "deal stage", "closed lost reason"})),
)

_HS_ACTIVITY_COMMON = [
    *_each("activity.id", "Record ID", "Activity ID"),
    *_each("activity.date", "Activity date", "Create date", "Created at"),
    *_each("activity.owner", "Activity assigned to", "Assigned to", "Activity owner"),
    *_each("activity.contact", "Associated Contact"),
    *_each("activity.contact_id", "Associated Contact IDs", "Associated Contact ID"),
    *_each("activity.account", "Associated Company"),
    *_each("activity.account_id", "Associated Company IDs", "Associated Company ID"),
    *_each("activity.deal", "Associated Deal"),
    *_each("activity.deal_id", "Associated Deal IDs", "Associated Deal ID"),
]

HUBSPOT_CALLS = Profile(
    "hubspot.calls", Source.HUBSPOT, Kind.ACTIVITY, "HubSpot calls export",
    _cols([*_HS_ACTIVITY_COMMON,
           *_each("activity.subject", "Call title", "Call Title"),
           *_each("activity.direction", "Call direction"),
           *_each("activity.done", "Call status")]),
    anchors=(frozenset({"record id", "activity id"}),
             frozenset({"call title", "call direction", "call outcome", "call status",
                        "call duration"})),
    defaults={"activity.type": "call"},
)

HUBSPOT_EMAILS = Profile(
    "hubspot.emails", Source.HUBSPOT, Kind.ACTIVITY, "HubSpot emails export",
    _cols([*_HS_ACTIVITY_COMMON,
           *_each("activity.subject", "Email subject"),
           *_each("activity.direction", "Email direction")]),
    anchors=(frozenset({"record id", "activity id"}),
             frozenset({"email subject", "email direction", "email send status"})),
    defaults={"activity.type": "email"},
)

HUBSPOT_MEETINGS = Profile(
    "hubspot.meetings", Source.HUBSPOT, Kind.ACTIVITY, "HubSpot meetings export",
    _cols([*_HS_ACTIVITY_COMMON,
           *_each("activity.subject", "Meeting name"),
           *_each("activity.date", "Meeting start time"),
           *_each("activity.done", "Meeting outcome")]),
    anchors=(frozenset({"record id", "activity id"}),
             frozenset({"meeting name", "meeting outcome", "meeting start time"})),
    defaults={"activity.type": "meeting"},
)

# --- Pipedrive ----------------------------------------------------------------------------------

_PD_OBJECTS = {
    "deal": ("Deal", "Affaire", "Negocio", "Negócio", "Trattativa"),
    "person": ("Person", "Personne", "Persona", "Pessoa"),
    "organization": ("Organization", "Organisation", "Organización", "Organização",
                     "Organizzazione"),
    "activity": ("Activity", "Aktivität", "Activité", "Actividad", "Atividade", "Attività"),
}
_PD_OWNER = ("Owner", "Besitzer", "Eigentümer", "Inhaber", "Propriétaire", "Propietario",
             "Proprietário", "Proprietario")
_PD_ORG = ("Organization", "Organisation", "Organización", "Organização", "Organizzazione",
           "Organization name", "Organisationsname", "Nom de l'organisation")
_PD_PERSON = ("Contact person", "Person", "Kontaktperson", "Personne à contacter",
              "Personne de contact", "Persona de contacto", "Pessoa de contato",
              "Persona di contatto")
_PD_ID = ("ID", "Pipedrive System ID", "System ID")

_PD_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "deal": {
        "deal.id": _PD_ID,
        "deal.title": ("Title", "Titel", "Titre", "Título", "Titolo"),
        "deal.value": ("Value", "Wert", "Valeur", "Valor", "Valor del negocio", "Valore"),
        "deal.currency": ("Currency of value", "Currency", "Währung", "Währung des Werts",
                          "Devise", "Devise de la valeur", "Moneda", "Moneda del valor", "Moeda",
                          "Valuta"),
        "deal.status": ("Status", "Statut", "Estado", "Stato"),
        "deal.stage": ("Stage", "Stage (pipeline)", "Pipeline stage", "Phase", "Étape", "Etapa",
                       "Fase"),
        "deal.lost_reason": ("Lost reason", "Verlustgrund", "Grund für den Verlust",
                             "Raison de la perte", "Raison de perte", "Motif de perte",
                             "Motivo de pérdida", "Motivo de la pérdida", "Razón de pérdida",
                             "Motivo da perda", "Motivo della perdita"),
        "deal.lost_date": ("Lost time", "Datum des verlorenen Deals", "Verloren am",
                           "Heure de l'échec", "Date de perte", "Fecha de pérdida",
                           "Hora de pérdida", "Data da perda", "Data di perdita"),
        "deal.won_date": ("Won time", "Datum des gewonnenen Deals", "Gewonnen am",
                          "Date de gain", "Fecha de ganado", "Data do ganho"),
        "deal.close_date": ("Closed on", "Close date", "Deal abgeschlossen am",
                            "Abgeschlossen am", "Date de clôture", "Fecha de cierre",
                            "Data de fechamento", "Expected close date",
                            "Erwartetes Abschlussdatum", "Date de clôture prévue",
                            "Fecha de cierre prevista", "Fecha prevista de cierre"),
        "deal.account": _PD_ORG,
        "deal.contact": _PD_PERSON,
        "deal.owner": _PD_OWNER,
    },
    "person": {
        "contact.id": _PD_ID,
        "contact.name": ("Name", "Nom", "Nombre", "Nome"),
        "contact.first_name": ("First name", "Vorname", "Prénom", "Nombre de pila",
                               "Primeiro nome"),
        "contact.last_name": ("Last name", "Nachname", "Nom de famille", "Apellido",
                              "Apellidos", "Sobrenome", "Cognome"),
        "contact.title": ("Job title", "Position", "Berufsbezeichnung", "Jobtitel",
                          "Titre du poste", "Intitulé du poste", "Poste", "Fonction", "Cargo",
                          "Puesto"),
        "contact.account": _PD_ORG,
        "contact.owner": _PD_OWNER,
        "contact.unsubscribed": ("Marketing status", "Marketingstatus", "Statut marketing",
                                 "Statut du marketing", "Estado de marketing",
                                 "Status de marketing"),
        "contact.consent_withdrawn": ("Marketing consent", "Marketing-Einwilligung",
                                      "Einwilligung", "Consentement marketing",
                                      "Consentimiento de marketing",
                                      "Consentimento de marketing"),
    },
    "organization": {
        "account.id": _PD_ID,
        "account.name": ("Name", "Nom", "Nombre", "Nome"),
        "account.owner": _PD_OWNER,
        "account.country": ("Address - Country of Address", "Address - Country", "Country",
                            "Land", "Pays", "País", "Paese"),
        "account.city": ("Address - City/town/village/locality of Address", "Address - City",
                         "City", "Stadt", "Ort", "Ville", "Ciudad", "Cidade", "Città"),
        "account.region": ("Address - State/county of Address", "Address - Region of Address",
                           "Region", "Bundesland", "Région", "Región", "Estado"),
        "account.website": ("Website", "Webseite", "Site web", "Sitio web"),
        "account.industry": ("Industry", "Branche", "Industrie", "Secteur", "Industria",
                             "Sector", "Setor"),
        "account.employees": ("Number of employees", "Employees", "Anzahl der Mitarbeiter",
                              "Mitarbeiter", "Nombre d'employés", "Effectif",
                              "Número de empleados"),
    },
    "activity": {
        "activity.id": _PD_ID,
        "activity.subject": ("Subject", "Betreff", "Sujet", "Asunto", "Assunto", "Oggetto"),
        "activity.type": ("Type", "Typ", "Tipo"),
        "activity.date": ("Marked as done time", "Als erledigt markiert am",
                          "Marquée comme faite le", "Marcada como hecha", "Due date",
                          "Fälligkeitsdatum", "Date d'échéance", "Fecha de vencimiento",
                          "Data de vencimento", "Data di scadenza"),
        "activity.time": ("Due time", "Fälligkeitszeit", "Heure d'échéance",
                          "Hora de vencimiento"),
        "activity.done": ("Done", "Erledigt", "Fait", "Hecho", "Realizada", "Concluída"),
        "activity.owner": ("Assigned to user", "Assigned to", "Zugewiesen an Benutzer",
                           "Zugewiesen an", "Attribuée à l'utilisateur", "Attribué à",
                           "Asignado al usuario", "Asignado a", *_PD_OWNER),
        "activity.contact": _PD_PERSON,
        "activity.account": _PD_ORG,
        "activity.deal": ("Deal", "Affaire", "Negocio", "Negócio", "Trattativa"),
    },
}
_PD_PREFIX_FIELDS = {  # every column starting so, in the person object
    "contact.email": ("Email", "E-mail", "E-Mail", "Courriel", "Correo electrónico", "Correo"),
    "contact.phone": ("Phone", "Telefon", "Téléphone", "Teléfono", "Telefone", "Telefono"),
}
# a deal or activity row names its organisation and person without a prefix
_PD_BARE: dict[str, dict[str, tuple[str, ...]]] = {
    "deal": {"deal.account": _PD_ORG, "deal.contact": _PD_PERSON},
    "activity": {"activity.account": _PD_ORG, "activity.contact": _PD_PERSON,
                 "activity.deal": ("Deal", "Affaire", "Negocio", "Negócio", "Trattativa")},
}


def _pd_columns(objects: Sequence[str], bare: str | None) -> tuple[dict[str, str],
                                                                   dict[str, str]]:
    pairs: list[tuple[str, str]] = []
    prefixes: dict[str, str] = {}
    for obj in objects:
        for key, labels in _PD_FIELDS[obj].items():
            for name in _PD_OBJECTS[obj]:
                pairs += [(f"{name} - {label}", key) for label in labels]
        if obj == "person":
            for key, labels in _PD_PREFIX_FIELDS.items():
                for name in _PD_OBJECTS[obj]:
                    for label in labels:
                        prefixes[norm_header(f"{name} - {label}")] = key
    if bare is not None:
        for key, labels in _PD_BARE[bare].items():
            pairs += [(label, key) for label in labels]
    return _cols(pairs), prefixes


def _pd_anchor(obj: str, *labels: str) -> frozenset[str]:
    return frozenset(norm_header(f"{name} - {label}") for name in _PD_OBJECTS[obj]
                     for label in labels)


_PD_DEAL_ANCHOR = _pd_anchor("deal", *_PD_FIELDS["deal"]["deal.title"],
                             *_PD_FIELDS["deal"]["deal.value"],
                             *_PD_FIELDS["deal"]["deal.status"],
                             *_PD_FIELDS["deal"]["deal.lost_reason"])
_PD_PERSON_ANCHOR = _pd_anchor("person", *_PD_FIELDS["person"]["contact.name"],
                               *_PD_FIELDS["person"]["contact.first_name"],
                               *_PD_FIELDS["person"]["contact.last_name"])
_PD_ORG_ANCHOR = _pd_anchor("organization", *_PD_FIELDS["organization"]["account.name"])
_PD_ACTIVITY_ANCHOR = _pd_anchor("activity", *_PD_FIELDS["activity"]["activity.subject"],
                                 *_PD_FIELDS["activity"]["activity.type"])

_c, _p = _pd_columns(("deal", "person", "organization"), "deal")
PIPEDRIVE_DEALS = Profile("pipedrive.deals", Source.PIPEDRIVE, Kind.DEAL,
                          "Pipedrive deals export", _c, anchors=(_PD_DEAL_ANCHOR,),
                          excludes=_PD_ACTIVITY_ANCHOR, prefixes=_p)
_c, _p = _pd_columns(("person", "organization"), None)
PIPEDRIVE_PEOPLE = Profile("pipedrive.people", Source.PIPEDRIVE, Kind.CONTACT,
                           "Pipedrive people export", _c, anchors=(_PD_PERSON_ANCHOR,),
                           excludes=_PD_DEAL_ANCHOR | _PD_ACTIVITY_ANCHOR, prefixes=_p)
_c, _p = _pd_columns(("organization",), None)
PIPEDRIVE_ORGANIZATIONS = Profile("pipedrive.organizations", Source.PIPEDRIVE, Kind.ACCOUNT,
                                  "Pipedrive organizations export", _c,
                                  anchors=(_PD_ORG_ANCHOR,),
                                  excludes=_PD_DEAL_ANCHOR | _PD_PERSON_ANCHOR
                                  | _PD_ACTIVITY_ANCHOR)
_c, _p = _pd_columns(("activity", "person", "organization"), "activity")
PIPEDRIVE_ACTIVITIES = Profile("pipedrive.activities", Source.PIPEDRIVE, Kind.ACTIVITY,
                               "Pipedrive activities export", _c,
                               anchors=(_PD_ACTIVITY_ANCHOR,), prefixes=_p)

# --- Salesforce: API names (Data Loader, sf data query) ----------------------------------------

_SF_LOSS = ("Loss_Reason__c", "Lost_Reason__c", "Reason_Lost__c", "Closed_Lost_Reason__c",
            "Reason_for_Loss__c", "Loss_Reason_Details__c", "Lost_Reason_Detail__c",
            "Lost_Reason_Details__c")
_SF_OWNER = [*_each("owner", "Owner.Name", "Owner.Email"), *_each("owner_id", "OwnerId")]


def _sf(kind: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(h, f"{kind}.{k}") for h, k in pairs]


SALESFORCE_OPPORTUNITIES = Profile(
    "salesforce.opportunities", Source.SALESFORCE, Kind.DEAL,
    "Salesforce opportunities (Data Loader / sf data query)",
    _cols(_sf("deal", [
        *_each("id", "Id"), *_each("title", "Name"), *_each("stage", "StageName"),
        *_each("is_closed", "IsClosed"), *_each("is_won", "IsWon"),
        *_each("close_date", "CloseDate"), *_each("value", "Amount"),
        *_each("currency", "CurrencyIsoCode"), *_each("account_id", "AccountId"),
        *_each("account", "Account.Name"), *_each("contact_id", "ContactId"),
        *_each("lost_reason", *_SF_LOSS), *_SF_OWNER,
    ])),
    anchors=(frozenset({"stagename"}),
             frozenset({"id", "isclosed", "iswon", "closedate", "accountid"})),
)

SALESFORCE_CONTACTS = Profile(
    "salesforce.contacts", Source.SALESFORCE, Kind.CONTACT,
    "Salesforce contacts (Data Loader / sf data query)",
    _cols(_sf("contact", [
        *_each("id", "Id"), *_each("name", "Name"), *_each("first_name", "FirstName"),
        *_each("last_name", "LastName"), *_each("email", "Email"),
        *_each("phone", "Phone", "MobilePhone"), *_each("title", "Title"),
        *_each("account_id", "AccountId"), *_each("account", "Account.Name"),
        *_each("email_opt_out", "HasOptedOutOfEmail"), *_each("do_not_call", "DoNotCall"),
        *_SF_OWNER,
    ])),
    anchors=(frozenset({"firstname", "lastname"}),
             frozenset({"id", "hasoptedoutofemail", "donotcall", "accountid", "email"})),
    excludes=frozenset({"stagename", "whoid", "company"}),
)

SALESFORCE_ACCOUNTS = Profile(
    "salesforce.accounts", Source.SALESFORCE, Kind.ACCOUNT,
    "Salesforce accounts (Data Loader / sf data query)",
    _cols(_sf("account", [
        *_each("id", "Id"), *_each("name", "Name"), *_each("website", "Website"),
        *_each("industry", "Industry"), *_each("employees", "NumberOfEmployees"),
        *_each("country", "BillingCountry", "BillingCountryCode", "ShippingCountry"),
        *_each("region", "BillingState", "BillingStateCode"),
        *_each("city", "BillingCity", "ShippingCity"), *_SF_OWNER,
    ])),
    anchors=(frozenset({"name"}),
             frozenset({"numberofemployees", "billingcountry", "billingcountrycode",
                        "billingcity", "billingstate", "ownerid", "annualrevenue",
                        "accountnumber"})),
    excludes=frozenset({"stagename", "firstname", "lastname", "whoid"}),
)

_SF_ACTIVITY = [
    *_each("id", "Id"), *_each("subject", "Subject"), *_each("contact_id", "WhoId"),
    *_each("contact", "Who.Name"), *_each("contact_email", "Who.Email"),
    *_each("deal_id", "WhatId"), *_each("deal", "What.Name"), *_each("account_id", "AccountId"),
    *_SF_OWNER,
]

SALESFORCE_TASKS = Profile(
    "salesforce.tasks", Source.SALESFORCE, Kind.ACTIVITY,
    "Salesforce tasks (Data Loader / sf data query)",
    _cols(_sf("activity", [
        *_SF_ACTIVITY, *_each("date", "CompletedDateTime", "ActivityDate"),
        *_each("type", "TaskSubtype", "Type"), *_each("direction", "CallType"),
        *_each("done", "IsClosed", "Status"),
    ])),
    anchors=(frozenset({"whoid", "whatid", "subject"}),
             frozenset({"activitydate", "tasksubtype", "calltype", "completeddatetime"})),
)

SALESFORCE_EVENTS = Profile(
    "salesforce.events", Source.SALESFORCE, Kind.ACTIVITY,
    "Salesforce events (Data Loader / sf data query)",
    _cols(_sf("activity", [
        *_SF_ACTIVITY, *_each("date", "StartDateTime", "ActivityDateTime", "ActivityDate"),
        *_each("type", "EventSubtype", "Type"),
    ])),
    anchors=(frozenset({"whoid", "whatid", "subject"}),
             frozenset({"startdatetime", "eventsubtype", "activitydatetime"})),
    excludes=frozenset({"tasksubtype", "calltype"}),
    defaults={"activity.type": "meeting"},
)

# --- Salesforce: report exports (labels) -------------------------------------------------------

SALESFORCE_OPPORTUNITY_REPORT = Profile(
    "salesforce.opportunity_report", Source.SALESFORCE, Kind.DEAL,
    "Salesforce opportunities report",
    _cols(_sf("deal", [
        *_each("id", "Opportunity ID", "Opportunity Id"), *_each("title", "Opportunity Name"),
        *_each("stage", "Stage"), *_each("close_date", "Close Date"),
        *_each("value", "Amount"), *_each("currency", "Amount Currency",
                                          "Opportunity Currency", "Currency"),
        *_each("is_closed", "Closed"), *_each("is_won", "Won"),
        *_each("account", "Account Name"), *_each("account_id", "Account ID"),
        *_each("contact", "Primary Contact", "Contact Name", "Contact: Full Name"),
        *_each("contact_id", "Contact ID"), *_each("contact_email", "Contact: Email"),
        *_each("owner", "Opportunity Owner", "Owner Name"),
        *_each("lost_reason", "Loss Reason", "Lost Reason", "Reason Lost",
               "Closed Lost Reason", "Reason for Loss", "Loss Reason Details",
               "Lost Reason Details"),
    ])),
    anchors=(frozenset({"opportunity name", "opportunity owner", "opportunity id"}),
             frozenset({"stage", "opportunity name"})),
    excludes=frozenset({"record id", "deal name"}),
)

SALESFORCE_CONTACT_REPORT = Profile(
    "salesforce.contact_report", Source.SALESFORCE, Kind.CONTACT,
    "Salesforce contacts report",
    _cols(_sf("contact", [
        *_each("id", "Contact ID", "Contact Id"), *_each("name", "Full Name", "Contact Name"),
        *_each("first_name", "First Name"), *_each("last_name", "Last Name"),
        *_each("title", "Title"), *_each("email", "Email"),
        *_each("phone", "Phone", "Mobile", "Mobile Phone"),
        *_each("account", "Account Name"), *_each("account_id", "Account ID"),
        *_each("email_opt_out", "Email Opt Out"), *_each("do_not_call", "Do Not Call"),
        *_each("owner", "Contact Owner"),
    ])),
    anchors=(frozenset({"first name", "last name", "full name"}),
             frozenset({"email opt out", "do not call", "contact id", "account name"})),
    excludes=frozenset({"record id", "opportunity name", "stage"}),
)

SALESFORCE_ACCOUNT_REPORT = Profile(
    "salesforce.account_report", Source.SALESFORCE, Kind.ACCOUNT,
    "Salesforce accounts report",
    _cols(_sf("account", [
        *_each("id", "Account ID", "Account Id"), *_each("name", "Account Name"),
        *_each("website", "Website"), *_each("industry", "Industry"),
        *_each("employees", "Employees"),
        *_each("country", "Billing Country", "Shipping Country"),
        *_each("region", "Billing State/Province", "Billing State"),
        *_each("city", "Billing City", "Shipping City"), *_each("owner", "Account Owner"),
    ])),
    anchors=(frozenset({"account name"}),
             frozenset({"account owner", "billing country", "billing city", "employees",
                        "industry", "account id", "billing state/province", "website"})),
    excludes=frozenset({"first name", "last name", "full name", "opportunity name", "stage",
                        "record id"}),
)

PROFILES: tuple[Profile, ...] = (
    HUBSPOT_CONTACTS, HUBSPOT_COMPANIES, HUBSPOT_DEALS, HUBSPOT_CALLS, HUBSPOT_EMAILS,
    HUBSPOT_MEETINGS, PIPEDRIVE_DEALS, PIPEDRIVE_PEOPLE, PIPEDRIVE_ORGANIZATIONS,
    PIPEDRIVE_ACTIVITIES, SALESFORCE_OPPORTUNITIES, SALESFORCE_CONTACTS, SALESFORCE_ACCOUNTS,
    SALESFORCE_TASKS, SALESFORCE_EVENTS, SALESFORCE_OPPORTUNITY_REPORT,
    SALESFORCE_CONTACT_REPORT, SALESFORCE_ACCOUNT_REPORT,
)

SALESFORCE_FOOTER = re.compile(
    r"^(?:total|grand totals?(?:\s*\(.*\))?|subtotal|confidential information - do not "
    r"distribute|copyright\s*(?:\(c\)|©)?.*salesforce(?:\.com)?.*|generated by .*)$", re.I)
"""The lines a Salesforce report export appends after its rows."""

# --- any other spreadsheet: what to propose, for the person to confirm --------------------------

GENERIC: dict[str, str] = _cols([
    *_each("contact.name", "Name", "Full name", "Contact", "Contact name", "Person"),
    *_each("contact.first_name", "First name", "Firstname", "Given name", "Vorname", "Prénom"),
    *_each("contact.last_name", "Last name", "Lastname", "Surname", "Family name", "Nachname",
           "Nom de famille"),
    *_each("contact.email", "Email", "E-mail", "Email address", "E-mail address", "Mail",
           "Work email"),
    *_each("contact.phone", "Phone", "Telephone", "Phone number", "Mobile", "Telefon",
           "Téléphone"),
    *_each("contact.title", "Title", "Job title", "Position", "Role"),
    *_each("account.name", "Company", "Company name", "Account", "Account name",
           "Organization", "Organisation", "Firma", "Société", "Empresa"),
    *_each("account.website", "Website", "Web"),
    *_each("account.industry", "Industry", "Branche"),
    *_each("account.country", "Country", "Land", "Pays", "País"),
    *_each("account.city", "City", "Stadt", "Ville", "Ciudad"),
    *_each("deal.title", "Deal", "Deal name", "Opportunity", "Opportunity name"),
    *_each("deal.stage", "Stage", "Deal stage", "Phase"),
    *_each("deal.status", "Status", "Deal status"),
    *_each("deal.value", "Amount", "Value", "Deal value", "Betrag", "Montant", "Importe"),
    *_each("deal.currency", "Currency", "Währung", "Devise", "Moneda"),
    *_each("deal.close_date", "Close date", "Closed", "Closed on", "Date"),
    *_each("deal.lost_reason", "Lost reason", "Loss reason", "Reason lost", "Reason",
           "Why lost", "Verlustgrund", "Raison de la perte", "Motivo de pérdida"),
    *_each("deal.owner", "Owner", "Sales rep", "Salesperson", "Account executive"),
    *_each("contact.email_opt_out", "Email opt out", "Opted out", "Opt out", "Unsubscribed",
           "Do not email"),
    *_each("contact.do_not_call", "Do not call", "DNC"),
])


@dataclass(frozen=True)
class Recognition:
    """What a file's headers were recognised as."""

    profile: Profile
    columns: dict[int, str]
    """Column index → field key, for the columns read."""
    unused: tuple[str, ...]
    """Headers not read (custom fields among them)."""

    @property
    def source(self) -> Source:
        return self.profile.source

    @property
    def kind(self) -> Kind:
        return self.profile.kind


def _apply(profile: Profile, normed: Sequence[str], headers: Sequence[str]) -> Recognition:
    columns: dict[int, str] = {}
    unused: list[str] = []
    for i, h in enumerate(normed):
        key = profile.field_for(h)
        if key is None:
            if headers[i].strip():
                unused.append(headers[i])
        else:
            columns[i] = key
    return Recognition(profile, columns, tuple(unused))


def candidates(headers: Sequence[str], source: Source | None = None) -> list[Recognition]:
    """Every profile the headers fit, best first (most columns read)."""
    normed = [norm_header(h) for h in headers]
    present = set(normed)
    found = [_apply(p, normed, headers) for p in PROFILES
             if (source is None or p.source == source) and p.matches(present)]
    found.sort(key=lambda r: -len(r.columns))
    return found


def suggest(headers: Sequence[str]) -> dict[str, str]:
    """A mapping to propose for a spreadsheet no profile fits: header → field key."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        key = GENERIC.get(norm_header(h))
        if key is None or (key in taken and not FIELDS[key].many):
            continue
        out[h] = key
        taken.add(key)
    return out

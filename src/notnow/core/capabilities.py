"""Capabilities that lost prospects asked for: one name per thing, however it was spelled.

"SSO", "single sign-on" and "SAML SSO" are one capability. :func:`capability_key` turns any
wording into a stable key (a known alias's canonical key, else the sorted meaningful words),
and :func:`group_requests` folds a list of wordings into capabilities with their variants.
Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# canonical key -> (display name, aliases). Aliases are matched after normalisation.
KNOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    "sso": ("Single sign-on (SSO)", (
        "sso", "single sign on", "single signon", "saml", "saml sso", "saml 2", "saml2",
        "okta", "okta sso", "azure ad sso", "entra id", "google sso", "oidc", "openid connect",
        "single sign on sso", "sso saml", "sso login",
    )),
    "scim": ("User provisioning (SCIM)", (
        "scim", "scim provisioning", "user provisioning", "automatic provisioning",
    )),
    "mfa": ("Two-factor authentication", (
        "2fa", "mfa", "two factor", "two factor auth", "two factor authentication",
        "multi factor", "multi factor authentication", "2 factor",
    )),
    "on-prem": ("On-premises deployment", (
        "on prem", "on premise", "on premises", "self hosted", "self host", "on prem deployment",
        "on premise deployment", "on premises deployment", "private cloud", "self hosting",
    )),
    "api": ("Public API", (
        "api", "rest api", "public api", "open api", "api access", "graphql api", "webhooks",
    )),
    "audit-log": ("Audit log", ("audit log", "audit logs", "audit trail", "activity log")),
    "soc2": ("SOC 2 report", ("soc 2", "soc2", "soc 2 type 2", "soc 2 type ii", "soc ii")),
    "iso27001": ("ISO 27001", ("iso 27001", "iso27001", "iso certification")),
    "hipaa": ("HIPAA compliance", ("hipaa", "hipaa compliance", "baa")),
    "eu-hosting": ("EU data residency", (
        "eu hosting", "eu data residency", "data residency", "eu data center", "eu datacenter",
        "gdpr hosting", "hosting in the eu", "eu region", "european hosting",
    )),
    "mobile-app": ("Mobile app", (
        "mobile app", "mobile", "ios app", "android app", "iphone app", "mobile application",
    )),
    "offline": ("Offline mode", ("offline", "offline mode", "offline access")),
    "rbac": ("Role-based permissions", (
        "rbac", "role based access", "role based access control", "permissions",
        "granular permissions", "user roles", "role based permissions",
    )),
    "salesforce": ("Salesforce integration", (
        "salesforce", "salesforce integration", "sfdc", "sfdc integration",
        "salesforce sync", "salesforce connector",
    )),
    "hubspot": ("HubSpot integration", ("hubspot", "hubspot integration", "hubspot sync")),
    "sap": ("SAP integration", ("sap", "sap integration", "sap connector")),
    "multi-currency": ("Multi-currency", ("multi currency", "multiple currencies", "currencies")),
    "multi-language": ("Multi-language interface", (
        "multi language", "multilingual", "localization", "localisation", "translations",
    )),
    "reporting": ("Custom reporting", (
        "custom reports", "custom reporting", "reporting", "dashboards", "custom dashboards",
    )),
}

FILLER = frozenset({
    "a", "an", "the", "for", "of", "with", "and", "or", "to", "in", "on", "our", "we", "need",
    "needs", "support", "supported", "supporting", "feature", "features", "capability",
    "proper", "native", "full", "built", "real", "some", "any", "option", "functionality",
    "no", "without", "lack", "missing", "have", "has", "must", "requires", "required",
})

_ALIAS_TO_KEY: dict[str, str] = {}
for _key, (_name, _aliases) in KNOWN.items():
    for _alias in _aliases:
        _ALIAS_TO_KEY[_alias] = _key


_ALIAS_RE = re.compile(
    r"(?<= )(" + "|".join(re.escape(a) for a in sorted(_ALIAS_TO_KEY, key=len, reverse=True))
    + r")(?= )")


_DOTTED = re.compile(r"\b(?:[a-z0-9]\.){2,}")


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation and hyphens as spaces, single spaces."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), folded)  # "s.s.o." -> "sso"
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    return " ".join(folded.split())


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _meaningful(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in FILLER]


@lru_cache(maxsize=8192)
def capability_key(text: str) -> str:
    """A stable key for a capability, whatever words were used for it.

    Known aliases map to their canonical key (``"SAML SSO"`` -> ``"sso"``); otherwise the key
    is the sorted, de-pluralised meaningful words (``"Export to Excel"`` and ``"excel export"``
    meet at ``"excel export"``). Empty or filler-only text gives ``""``.
    """
    norm = normalise(text)
    if not norm:
        return ""
    if norm in _ALIAS_TO_KEY:
        return _ALIAS_TO_KEY[norm]
    words = _meaningful(norm.split())
    joined = " ".join(words)
    if joined in _ALIAS_TO_KEY:
        return _ALIAS_TO_KEY[joined]
    # a known alias inside a longer phrase ("they need SAML SSO for Okta") wins when unique
    hits = {_ALIAS_TO_KEY[m] for m in _ALIAS_RE.findall(f" {joined} ")}
    if len(hits) == 1:
        return hits.pop()
    stems = sorted({_stem(w) for w in words})
    return " ".join(stems)


def display_name(key: str, variants: Iterable[str] = ()) -> str:
    """The name to show: the canonical one for a known key, else the most used wording."""
    if key in KNOWN:
        return KNOWN[key][0]
    counts = Counter(v.strip() for v in variants if v and v.strip())
    if not counts:
        return key
    best = max(counts.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
    return best[:1].upper() + best[1:]


@dataclass(frozen=True, slots=True)
class CapabilityGroup:
    key: str
    name: str
    variants: tuple[str, ...]
    count: int


def group_requests(wordings: Iterable[str]) -> list[CapabilityGroup]:
    """Fold wordings into capabilities, most requested first (ties by name)."""
    by_key: dict[str, list[str]] = {}
    for text in wordings:
        key = capability_key(text)
        if key:
            by_key.setdefault(key, []).append(text.strip())
    groups = [CapabilityGroup(key=k, name=display_name(k, v), variants=tuple(sorted(set(v))),
                              count=len(v)) for k, v in by_key.items()]
    return sorted(groups, key=lambda g: (-g.count, g.name.lower()))


def addresses(shipped: str, requested: str) -> bool:
    """True when the shipped capability is the one that was requested."""
    key = capability_key(shipped)
    return bool(key) and key == capability_key(requested)

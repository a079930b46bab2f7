"""The multilingual training rows, from the hand-written phrasings in `corpus/intl/<lang>.txt`.

Each file holds one language's phrasings under `[label]` headers, written by notnow's authors
(see `corpus/README.md`). `rows()` turns them into training rows, deterministically:

* each phrasing as written, and lower-cased without its final punctuation (a quick reply);
* inside a short email of the same language (greeting, sign-off, name), as pasted;
* a plain no next to a reason ("Nein danke. Das ist uns zu teuer."): the reason is the label,
  as `not_interested` is a no *without* one; and an opt-out next to anything (the opt-out wins).

A fixed share of the phrasings (`is_held_out`: by a hash of the text, about one in seven) is
kept out of training with all its variants; bench/bench_classifier.py scores the model on it.
Nothing here was tuned on those rows.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

from notnow.core.model import Label

INTL_DIR = Path(__file__).parent / "corpus" / "intl"
SEED = 20261122
HELD_OUT_EVERY = 7
LATER_BATCHES = ("home",)
"""Batches written after the first four (`<lang>_<batch>.txt`). Their files are read after all
the others, batch by batch, so that adding a batch leaves the rows of the earlier ones — and
the random choices that made their email and joined variants — as they were (the encoder's
embeddings of those rows can then be reused by the build)."""
_SECTION = re.compile(r"^\[([a-z_]+)\]$")

GREETINGS: dict[str, tuple[str, ...]] = {
    "de": ("Hallo Herr Berger,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo Anna,"),
    "fr": ("Bonjour,", "Bonjour Monsieur Girard,", "Madame, Monsieur,", "Salut Paul,"),
    "es": ("Hola,", "Buenos días,", "Estimado Sr. Ruiz:", "Hola Carmen,"),
    "it": ("Buongiorno,", "Gentile dott. Ferri,", "Ciao Marco,", "Salve,"),
    "nl": ("Hallo,", "Beste Tom,", "Goedemiddag,", "Geachte heer Jansen,"),
    "pt": ("Olá,", "Bom dia,", "Caro Sr. Costa,", "Oi Fernanda,"),
    "sv": ("Hej,", "Hej Johan,", "God morgon,", "Hejsan,"),
    "no": ("Hei,", "Hei Marius,", "God morgen,", "Hallo,"),
    "da": ("Hej,", "Hej Jens,", "Godmorgen,", "Kære Anne,"),
}
SIGN_OFFS: dict[str, tuple[str, ...]] = {
    "de": ("Mit freundlichen Grüßen\nKlaus Weber", "Viele Grüße\nSabine", "Beste Grüße"),
    "fr": ("Cordialement,\nNicolas Bernard", "Bien à vous,\nClaire", "Bonne journée"),
    "es": ("Saludos cordiales,\nPablo Gómez", "Un saludo,\nLucía", "Atentamente,"),
    "it": ("Cordiali saluti,\nFrancesca Greco", "Saluti,\nLuca", "Distinti saluti"),
    "nl": ("Met vriendelijke groet,\nPieter de Boer", "Groeten,\nEmma", "Mvg"),
    "pt": ("Cumprimentos,\nRicardo Alves", "Atenciosamente,\nBeatriz", "Abraço"),
    "sv": ("Med vänliga hälsningar\nMaria Berg", "Hälsningar,\nOskar", "Mvh"),
    "no": ("Med vennlig hilsen\nIngrid Dahl", "Hilsen\nEspen", "Mvh"),
    "da": ("Med venlig hilsen\nLars Holm", "Hilsen\nSofie", "Mvh"),
}


@dataclass(frozen=True)
class Phrasing:
    text: str
    label: Label
    lang: str


@dataclass(frozen=True)
class Row:
    text: str
    label: Label
    also: tuple[Label, ...]
    lang: str
    source: str


def files(directory: Path = INTL_DIR, *, later: bool = True) -> list[Path]:
    """The phrasing files in reading order (`later=False`: without the `LATER_BATCHES`)."""
    return [p for p in sorted(directory.glob("*.txt"), key=_file_order)
            if later or _file_order(p)[0] == 0]


def phrasings(directory: Path = INTL_DIR, *, later: bool = True) -> list[Phrasing]:
    """Every hand-written phrasing, in file order."""
    out: list[Phrasing] = []
    for path in files(directory, later=later):
        label: Label | None = None
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = _SECTION.match(line)
            if m:
                label = Label(m.group(1))
            elif label is not None:
                out.append(Phrasing(line, label, path.stem.split("_")[0]))
    return out


def _file_order(path: Path) -> tuple[int, str]:
    batch = path.stem.partition("_")[2]
    return (LATER_BATCHES.index(batch) + 1 if batch in LATER_BATCHES else 0, path.name)


def is_held_out(text: str) -> bool:
    """Whether a phrasing is kept out of training (about one in `HELD_OUT_EVERY`)."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % HELD_OUT_EVERY == 0


def _casual(text: str) -> str:
    return text.lower().rstrip(".!")


def rows(*, held_out: bool = False, directory: Path = INTL_DIR, later: bool = True
         ) -> list[Row]:
    """Training rows (`held_out=False`) or the held-out rows (`held_out=True`, each phrasing
    once as written: what the bench scores); `later=False` leaves the `LATER_BATCHES` out."""
    every = phrasings(directory, later=later)
    if held_out:
        return [Row(p.text, p.label, (), p.lang, "notnow-authored: held-out phrasing")
                for p in every if is_held_out(p.text)]
    rng = random.Random(SEED)
    kept = [p for p in every if not is_held_out(p.text)]
    by_lang: dict[str, dict[Label, list[Phrasing]]] = {}
    for p in kept:
        by_lang.setdefault(p.lang, {}).setdefault(p.label, []).append(p)
    out: list[Row] = []
    for p in kept:
        out.append(Row(p.text, p.label, (), p.lang, "notnow-authored: phrasing"))
        out.append(Row(_casual(p.text), p.label, (), p.lang,
                       "notnow-authored: phrasing, lower case"))
        if p.lang in GREETINGS and rng.random() < 0.5:
            email = (f"{rng.choice(GREETINGS[p.lang])}\n\n{p.text}\n\n"
                     f"{rng.choice(SIGN_OFFS[p.lang])}")
            out.append(Row(email, p.label, (), p.lang, "notnow-authored: phrasing in an email"))
    reasons = (Label.PRICE, Label.NO_BUDGET, Label.HAS_SOLUTION, Label.NO_NEED,
               Label.COMPETITOR_CHOSEN, Label.NOT_NOW)
    for lang, labels in sorted(by_lang.items()):
        plain = labels.get(Label.NOT_INTERESTED, [])
        for reason in reasons:
            for p in labels.get(reason, [])[:3]:
                if plain:
                    no = rng.choice(plain).text
                    out.append(Row(f"{no} {p.text}", reason, (Label.NOT_INTERESTED,), lang,
                                   "notnow-authored: a plain no joined to its reason"))
        for p in labels.get(Label.DO_NOT_CONTACT, [])[:4]:
            other = rng.choice(labels.get(rng.choice(reasons), plain) or plain)
            out.append(Row(f"{other.text} {p.text}", Label.DO_NOT_CONTACT, (other.label,), lang,
                           "notnow-authored: a reason joined to an opt-out"))
    return out

"""The fast paths of the understanding pipeline give what the plain definitions give.

Speed work (per-word caches, trigger indexes, packed weights, evidence from the packed
model) must never change a result: each fast path is checked here against the plain way of
computing the same thing, on the shipped corpus and on awkward inputs.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pytest

from notnow.core.model import Label
from notnow.understand import corpusgen, features, rules
from notnow.understand.features import RULE_PREFIX, featurize, tokens, word_set
from notnow.understand.lexicon import CLASS_OF
from notnow.understand.model import SHIPPED_MODEL, LinearModel, load
from notnow.understand.textprep import lowered, prepare
from notnow.understand.train import read_rows

AWKWARD = [
    "don’t dont DONT ² ³ 12345 rock'n'roll _a_b_ İstanbul ÀB’C d'accord l’été 42nd 3/4 x__y",
    "'''", "a’’b", "ǅ ǆ ß ẞ ﬁ", "Not not not never no", "", " ", "?", "m'envoyez plus",
    "Please DISCONTINUE these e-mails!!", "ne m’envoyez plus rien", "配信停止してください",
    "Désinscrivez-moi", "I'm out of the office until 14 July, away on annual leave.",
    "We went with HubSpot; budget is gone, try Dana in Ops next quarter?",
]


@cache
def _texts() -> tuple[str, ...]:
    rows = read_rows(corpusgen.GENERATED)
    texts = [str(r["text"]) for r in rows[::4]]
    return tuple(texts + AWKWARD + [prepare(t).text for t in texts[:300] if t.strip()])


@cache
def _model() -> LinearModel:
    return load(SHIPPED_MODEL)


def _plain_tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in features._TOKEN.finditer(lowered(text)):
        word = m.group()
        if word.isdigit():
            word = "0" * min(len(word), 4)
        else:
            word = features._CONTRACTIONS.get(word, word)
        out.append((word, m.start(), m.end()))
    return out


def _plain_featurize(text: str) -> list[tuple[str, tuple[int, int]]]:
    feats: dict[str, tuple[int, int]] = {}
    prev, prev_start, prev_class, negated = "<s>", 0, "<s>", 0
    for word, start, end in _plain_tokens(text):
        feats.setdefault(word, (start, end))
        cls = CLASS_OF.get(word)
        if cls is not None or prev_class[0] == "@":
            here = cls or word
            feats.setdefault(here, (start, end))
            feats.setdefault(prev_class + " " + here, (prev_start, end))
        prev_class = cls or word
        if negated:
            feats.setdefault("¬" + word, (start, end))
            negated -= 1
        if word in features._NEGATIONS or word.endswith("n't"):
            negated = features._NEGATION_SCOPE
        feats.setdefault(prev + " " + word, (prev_start if prev != "<s>" else start, end))
        if len(word) >= features._PREFIX_MIN:
            feats.setdefault(word[:features._PREFIX_LEN] + "~", (start, end))
        prev, prev_start = word, start
    if "?" in text:
        feats["<q>"] = (text.find("?"), text.find("?") + 1)
    return list(feats.items())


def test_tokens_and_features_match_their_plain_definition() -> None:
    for text in _texts():
        assert tokens(text) == _plain_tokens(text), text
        assert list(featurize(text).items()) == _plain_featurize(text), text
        assert word_set(text) == frozenset(w for w, _s, _e in _plain_tokens(text)), text


@pytest.mark.parametrize("ruleset", ["_DNC", "_AUTO", "_CUES"])
def test_trigger_index_never_hides_a_match(ruleset: str) -> None:
    """Trying only the patterns whose triggers occur finds what trying them all finds."""
    rs = getattr(rules, ruleset)
    for text in _texts():
        low, words = lowered(text), word_set(text)
        first_only = ruleset != "_CUES"
        fast = [(label, m.span()) for label, m in rs.matches(text, words, first_only=first_only)]
        plain: list[tuple[Label, tuple[int, int]]] = []
        for i, pattern in enumerate(rs.patterns):
            if any(label is rs.labels[i] for label, _span in plain):
                continue
            m = pattern.search(low if rs.on_low[i] else text)
            if m is not None:
                plain.append((rs.labels[i], m.span()))
                if first_only:
                    break
        assert fast == plain, text


def test_hard_hits_are_the_same_with_and_without_the_shared_piece_search() -> None:
    for text in _texts():
        low, words = lowered(text), word_set(text)
        own = (rules._DNC.matches(text, words, first_only=True, guard=rules._in_footer, low=low)
               + rules._AUTO.matches(text, words, first_only=True, guard=rules._not_a_notice,
                                     low=low))
        shared = rules.hard_hits(text, words, low)
        assert [(h.label, h.start, h.end) for h in shared] == [
            (label, m.start(), m.end()) for label, m in own], text


def _plain_probs(model: LinearModel, feats: dict[str, tuple[int, int]]) -> list[float]:
    known = [model.vector(f) for f in feats if model.vector(f) is not None]
    scale = 1.0 / math.sqrt(len(known)) if known else 0.0
    scores = [(b + sum(v[k] for v in known if v is not None) * scale) / model.temperature
              for k, b in enumerate(model.bias)]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    return [e / sum(exps) for e in exps]


def test_packed_scoring_matches_float_scoring() -> None:
    model = _model()
    for text in _texts()[::3]:
        feats = featurize(text)
        scored = model.score(feats)
        plain = _plain_probs(model, feats)
        assert [scored.probs[label] for label in model.labels] == pytest.approx(plain, abs=1e-9)


def test_evidence_weights_come_from_the_decoded_vectors() -> None:
    model = _model()
    for text in _texts()[::3]:
        feats = featurize(text)
        scored = model.score(feats)
        for k, label in enumerate(model.labels):
            plain = [(v[k] * scored.scale, span, feat) for feat, span in feats.items()
                     if (v := model.vector(feat)) is not None and v[k] > 0]
            assert scored.contributions(label) == plain
            ranked = sorted([c for c in plain if not c[2].startswith(RULE_PREFIX)],
                            key=lambda c: c[0], reverse=True)[:6]
            assert scored.strongest(label, 6, RULE_PREFIX) == ranked
            assert scored.strongest_spans(label, 6, RULE_PREFIX) == [s for _w, s, _f in ranked]


def test_per_word_caches_forget_and_stay_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "_CACHE_MAX", 3)
    monkeypatch.setattr(features, "_info", {})
    monkeypatch.setattr(features, "_normal", {})
    for text in _texts()[:200]:
        assert list(featurize(text).items()) == _plain_featurize(text)
    assert len(features._info) <= 3 and len(features._normal) <= 3


def test_unknown_features_are_forgotten_without_changing_scores(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.understand import model as model_mod

    monkeypatch.setattr(model_mod, "_UNKNOWN_CAP", 5)
    small, fresh = load(SHIPPED_MODEL), load(SHIPPED_MODEL)
    for text in _texts()[:400]:
        feats = featurize(text)
        assert small.score(feats).probs == fresh.score(feats).probs
        assert len(small._packed) <= len(small.weights) + 5 + len(feats)


# ---------------------------------------------------------------- model in use, evidence
def _fake_team_model(monkeypatch: pytest.MonkeyPatch, home: Path) -> object:
    """A team model file under `home` that `current_model` accepts (loading is faked)."""
    from notnow.understand import teammodel

    shipped = type("Shipped", (), {"corpus_sha256": "base"})()
    team = type("Team", (), {"meta": {"base_corpus_sha256": "base"}})()
    monkeypatch.setattr(teammodel, "shipped_model", lambda: shipped)
    monkeypatch.setattr(teammodel, "load", lambda path: team)
    monkeypatch.setattr(teammodel, "_checked", {})
    monkeypatch.setattr(teammodel, "_cache", {})
    (home / "model").mkdir(parents=True, exist_ok=True)
    return shipped, team


def test_current_model_reads_the_folder_it_is_given(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    from notnow.understand import teammodel

    shipped, team = _fake_team_model(monkeypatch, tmp_path / "a")  # type: ignore[misc]
    (tmp_path / "a" / "model" / teammodel.MODEL_FILE).write_bytes(b"x")
    monkeypatch.setattr(teammodel, "RECHECK_SECONDS", 3600.0)
    assert teammodel.current_model(tmp_path / "b" / "model") is shipped
    assert teammodel.current_model(tmp_path / "a" / "model") is team  # no wait for a recheck
    assert teammodel.current_model(None) is shipped


def test_current_model_sees_a_new_team_model_file(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    from notnow.understand import teammodel

    shipped, team = _fake_team_model(monkeypatch, tmp_path)  # type: ignore[misc]
    monkeypatch.setattr(teammodel, "RECHECK_SECONDS", 3600.0)
    assert teammodel.current_model(tmp_path / "model") is shipped
    (tmp_path / "model" / teammodel.MODEL_FILE).write_bytes(b"x")
    assert teammodel.current_model(tmp_path / "model") is shipped  # within the recheck: cached
    monkeypatch.setattr(teammodel, "RECHECK_SECONDS", 0.0)
    assert teammodel.current_model(tmp_path / "model") is team


def test_the_environment_does_not_choose_the_model(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    """NOTNOW_HOME names a folder with a team model; only an explicit team_dir uses it."""
    from notnow.understand import teammodel

    shipped, team = _fake_team_model(monkeypatch, tmp_path)  # type: ignore[misc]
    (tmp_path / "model" / teammodel.MODEL_FILE).write_bytes(b"x")
    monkeypatch.setattr(teammodel, "RECHECK_SECONDS", 0.0)
    monkeypatch.setenv("NOTNOW_HOME", str(tmp_path))
    assert teammodel.current_model() is shipped
    assert teammodel.current_model(tmp_path / "model") is team


def test_evidence_behaves_like_a_frozen_dataclass() -> None:
    import dataclasses
    import pickle

    from notnow.core.model import Evidence

    e = Evidence(3, 7, "soon", "not_now")
    assert e == Evidence(start=3, end=7, text="soon", label="not_now")
    assert Evidence(1, 2, "x") == Evidence(1, 2, "x", None)
    assert hash(e) == hash(Evidence(3, 7, "soon", "not_now")) and e != Evidence(3, 7, "soon")
    assert repr(e) == "Evidence(start=3, end=7, text='soon', label='not_now')"
    assert dataclasses.astuple(e) == (3, 7, "soon", "not_now")
    assert dataclasses.replace(e, label=None) == Evidence(3, 7, "soon")
    assert pickle.loads(pickle.dumps(e)) == e
    assert not hasattr(e, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.start = 4  # type: ignore[misc]
    with pytest.raises(TypeError):
        Evidence(1, 2)  # type: ignore[call-arg]


@pytest.mark.slow  # thousands of texts through both tables: run early, beside the others
def test_the_other_languages_opt_out_table_alone_finds_what_both_tables_find() -> None:
    """A short reply told English is looked at by the other languages' opt-out patterns only
    (their auto-reply ones are not compiled for it): the same hits as reading both tables."""
    import json

    from notnow.understand import rules_intl

    texts = list(_texts())
    intl = Path(corpusgen.CORPUS_DIR) / "intl"
    for path in sorted(intl.glob("*.txt")):
        texts += path.read_text(encoding="utf-8").splitlines()[::3]
    dev = Path(__file__).resolve().parents[3] / "shared" / "data"
    for name in ("dev_rejections.jsonl", "dev_multilingual_rejections.jsonl"):
        if (dev / name).exists():
            texts += [json.loads(line)["text"] for line in
                      (dev / name).read_text(encoding="utf-8").splitlines() if line]
    assert len(texts) > 1000
    found = 0
    for text in texts:
        low = lowered(text)
        both = [h for h in rules_intl.hard_hits(low) if h.label is Label.DO_NOT_CONTACT]
        assert rules_intl.hard_hits(low, (Label.DO_NOT_CONTACT,)) == both, text
        found += bool(both)
    assert found > 10

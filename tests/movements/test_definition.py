"""Movement definitions: the built-in #MeToo family, users' own files, and the errors a typo gets."""

from __future__ import annotations

import pickle

import pytest

from groundswell.movements import DefinitionError, builtin, builtin_names, from_dict, load, loads, resolve
from groundswell.text.batch import extract_entities, normalize_hashtags

# The families the issue names; each must be in the built-in definition, core or related as stated.
CORE = ["MeToo", "MeTooMovement", "MoiAussi", "BalanceTonPorc", "YoTambién", "QuellaVoltaChe", "米兔", "MeTooIndia"]
RELATED = ["TimesUp", "HowIWillChange", "WhyIDidntReport", "ChurchToo"]


def test_builtin_metoo_has_the_international_family_and_related_campaigns():
    m = builtin("metoo")
    assert "metoo" in builtin_names()
    assert {t.casefold() for t in CORE} <= m.member_keys
    assert {t.casefold() for t in RELATED} <= m.related_keys
    assert not m.related_keys & m.member_keys  # related campaigns are followed, not counted
    assert len(m.languages) >= 10


def test_every_builtin_hashtag_has_a_source_note_and_a_language():
    m = builtin("metoo")
    for t in (*m.hashtags, *m.related):
        assert len(t.note) >= 30, f"#{t.tag} needs a one-line source note"
        assert t.lang, f"#{t.tag} has no language"
    for p in m.phrases:
        assert p.note and p.scope in ("any", "reply")


def test_builtin_keys_are_what_the_text_pipeline_produces_from_real_spellings():
    texts = ["#ＭｅＴｏｏ", "#METOO", "#YoTambién", "#Yotambien", "#BALANCETONPORC", "#米兔", "#미투", "#MeTooIndia"]
    tags = normalize_hashtags(extract_entities(texts)["hashtags"]).to_pylist()
    m = builtin("metoo")
    assert all(len(t) == 1 and t[0] in m.member_keys for t in tags), tags


def test_canonical_spelling_of_a_variant():
    m = builtin("metoo")
    assert m.canonical("yotambien") == "YoTambién"
    assert m.canonical("howwillichange") == "HowIWillChange"
    assert m.canonical("pizza") is None


def test_a_users_own_definition_loads(fixtures):
    m = load(fixtures / "timesup_own_movement.toml")
    assert m.name == "timesup"
    assert m.member_keys == {"timesup", "timesupnow"}
    assert [p.text for p in m.phrases] == ["time's up"]
    assert resolve(fixtures / "timesup_own_movement.toml") == m
    assert resolve("metoo") == builtin("metoo")


def test_include_related_counts_related_tags_as_members(fixtures):
    m = load(fixtures / "related_counted.toml")
    assert m.member_keys == {"metoo", "howiwillchange"}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown_key", "unknown keys ['varients']"),
        ("duplicate_tag", "#metoo is listed under both"),
        ("spaced_tag", "one hashtag without spaces"),
        ("bad_scope", "scope must be one of"),
    ],
)
def test_a_broken_definition_says_what_and_where(fixtures, case, message):
    with pytest.raises(DefinitionError, match="(?s).*" + message.replace("[", r"\[").replace("]", r"\]")) as e:
        load(fixtures / f"{case}.toml")
    assert f"{case}.toml" in str(e.value)


def test_definitions_without_content_or_name_are_refused():
    with pytest.raises(DefinitionError, match="at least one hashtag or phrase"):
        loads('name = "empty"')
    with pytest.raises(DefinitionError, match="'name'"):
        loads('[[hashtags]]\ntag = "x"')
    with pytest.raises(DefinitionError, match="not valid TOML"):
        loads("name = ")
    with pytest.raises(DefinitionError, match="neither a built-in"):
        resolve("no-such-movement")


def test_definitions_are_plain_picklable_data_that_round_trip():
    m = builtin("metoo")
    _ = m.member_keys  # a cached property must not break pickling or equality
    again = pickle.loads(pickle.dumps(m))
    assert again == m and hash(again) == hash(m)
    assert again.member_keys == m.member_keys
    assert from_dict(m.to_dict()) == m

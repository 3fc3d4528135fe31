"""The user cache: derived data only, keyed by what it came from, never trusted blindly."""

from __future__ import annotations

import pytest

from cleaner import diskcache, language


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEAN_ARTICLES_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


TEXTS = [
    "Der Bundestag hat am Donnerstag das Gesetz beschlossen, die Opposition protestierte.",
    "The parliament passed the law on Thursday after a long debate in the chamber.",
    "Le gouvernement a annoncé mardi une réforme des retraites très contestée.",
    "Rząd ogłosił we wtorek reformę emerytalną, którą krytykuje opozycja.",
    "Markets rose",
]


def detections(table, langlist):
    from langdetect.detector import Detector
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    factory.word_lang_prob_map, factory.langlist = table, langlist
    factory.set_seed(0)
    found = []
    for text in TEXTS:
        detector = Detector(factory)
        detector.append(text)
        found.append([(p.lang, p.prob) for p in detector.get_probabilities()])
    return found


def test_cached_profiles_give_langdetects_answers_bit_for_bit(cache_dir):
    fresh = language._profiles()  # loaded from langdetect's JSON, then cached
    assert isinstance(fresh[0], dict) and not isinstance(fresh[0], language._Profiles)
    assert any(cache_dir.iterdir())
    cached = language._profiles()  # read back from the cache
    assert isinstance(cached[0], language._Profiles)
    assert detections(*cached) == detections(*fresh)


def test_a_damaged_cache_entry_is_rebuilt(cache_dir):
    language._profiles()
    [entry] = list(cache_dir.iterdir())
    entry.write_bytes(entry.read_bytes()[:1000])  # truncated
    table, _ = language._profiles()
    assert not isinstance(table, language._Profiles)  # read from langdetect again
    assert isinstance(language._profiles()[0], language._Profiles)  # and cached anew


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEAN_ARTICLES_CACHE_DIR", "")
    assert diskcache.directory() is None
    diskcache.write("x", b"data")
    assert diskcache.read("x") is None


def test_an_unwritable_cache_is_only_slower(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("CLEAN_ARTICLES_CACHE_DIR", str(blocked / "cache"))
    diskcache.write("x", b"data")  # no exception
    assert diskcache.read("x") is None


def test_keys_change_with_the_files_they_come_from(tmp_path):
    source = tmp_path / "profile"
    source.write_text("a")
    first = diskcache.key("thing", files=[source])
    source.write_text("ab")
    assert diskcache.key("thing", files=[source]) != first
    assert diskcache.key("other", files=[source]) != diskcache.key("thing", files=[source])

"""Settings: defaults < config file < environment < flags, where each came from, and bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroundup.cli import main
from newsroundup.errors import InputError
from newsroundup.settings import Settings, load_settings


def test_each_layer_overrides_the_one_below_and_is_named(tmp_path: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text('words = 80\nextraction = "recall"\ndb = "from-file.db"\n', encoding="utf-8")
    environ = {"NEWSROUNDUP_WORDS": "90", "NEWSROUNDUP_DB": "from-env.db"}
    settings = load_settings(environ, {"db": Path("from-flag.db"), "words": None}, config=config)
    assert settings.extraction == "recall" and settings.words == 90 and settings.db == Path("from-flag.db")
    assert settings.origins["extraction"] == f"config file {config}"
    assert settings.origins["words"] == "environment NEWSROUNDUP_WORDS"
    assert settings.origins["db"] == "command line --db"
    assert settings.token is None and "token" not in settings.origins  # the default


def test_the_config_file_is_found_by_variable_else_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "newsroundup.toml").write_text("words = 70\n", encoding="utf-8")
    assert load_settings({}, cwd=tmp_path).words == 70
    named = tmp_path / "other.toml"
    named.write_text("words = 60\n", encoding="utf-8")
    assert load_settings({"NEWSROUNDUP_CONFIG": str(named)}, cwd=tmp_path).words == 60
    assert load_settings({}, cwd=tmp_path / "nowhere").words == Settings().words


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"NEWSROUNDUP_EMBED_THREADS": "two"}, "NEWSROUNDUP_EMBED_THREADS: embed_threads must be a whole number"),
        ({"NEWSROUNDUP_EMBED_THREADS": "0"}, "embed_threads must be at least 1"),
        ({"NEWSROUNDUP_PARSE_HELPER": "maybe"}, "NEWSROUNDUP_PARSE_HELPER: parse_helper must be 1 or 0"),
        ({"NEWSROUNDUP_EXTRACTION": "best"}, "extraction must be one of precision"),
        ({"NEWSROUNDUP_PARSE_CACHE_MB": "lots"}, "NEWSROUNDUP_PARSE_CACHE_MB: parse_cache_mb must be a whole number"),
        ({"NEWSROUNDUP_WORDS": "99999999999999999999"}, "NEWSROUNDUP_WORDS: words must be at most 1,000,000"),
        ({"NEWSROUNDUP_WORDS": "9" * 5000}, "words must be at most 1,000,000"),  # past int()'s digit limit
        ({"NEWSROUNDUP_WORDS": "\u00b2"}, "words must be a whole number"),  # a digit to isdigit(), not to int()
        ({"NEWSROUNDUP_EMBED_THREADS": "5000"}, "embed_threads must be at most 1024"),
    ],
)
def test_a_bad_value_names_where_it_was_given(environ: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_settings(environ)


def test_an_unknown_key_in_the_config_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("word = 80\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.toml: unknown setting 'word'"):
        load_settings({}, config=config)


def test_config_command_prints_every_setting_and_its_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSROUNDUP_TOKEN", "secret")
    (tmp_path / "newsroundup.toml").write_text("words = 120\n", encoding="utf-8")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert f"words = 120  (config file {tmp_path / 'newsroundup.toml'})" in out
    assert "token = (set)  (environment NEWSROUNDUP_TOKEN)" in out and "secret" not in out
    assert "extraction = precision  (default)" in out


def test_the_alias_file_reaches_summarize(
    tmp_path: Path, example_story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "aliases.toml"
    broken.write_text("[[entity]\n", encoding="utf-8")
    assert main(["summarize", str(example_story), "--enrich", "--aliases", str(broken), "--quiet"]) == 2
    assert f"{broken}: not a valid TOML alias file" in capsys.readouterr().err


def test_the_grouping_setting_is_learned_by_default_and_refuses_unknown_values(tmp_path: Path) -> None:
    assert load_settings({}, cwd=tmp_path).grouping == "learned"
    settings = load_settings({"NEWSROUNDUP_GROUPING": "rule"}, cwd=tmp_path)
    assert settings.grouping == "rule" and settings.origins["grouping"] == "environment NEWSROUNDUP_GROUPING"
    with pytest.raises(InputError, match="NEWSROUNDUP_GROUPING: grouping must be one of rule, learned"):
        load_settings({"NEWSROUNDUP_GROUPING": "best"}, cwd=tmp_path)


def test_the_parse_cache_lives_in_the_cache_folder_with_its_cap_and_is_put_back_after(tmp_path: Path) -> None:
    from newsroundup.annotate import parses
    from newsroundup.cli import _configure_models

    before = parses.current().settings
    restore = _configure_models(load_settings({"NEWSROUNDUP_CACHE": str(tmp_path), "NEWSROUNDUP_PARSE_CACHE_MB": "3"}))
    try:
        disk = parses.current().disk
        assert disk is not None and disk.folder == tmp_path / "parses" and disk.limit == 3 * 2**20
    finally:
        restore()
    assert parses.current().settings == before
    restore = _configure_models(load_settings({"NEWSROUNDUP_PARSE_CACHE_MB": "0"}))
    try:
        assert parses.current().disk is None  # 0: parses kept in memory only
    finally:
        restore()

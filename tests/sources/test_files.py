"""File bytes to text: BOMs decode, stray NULs are dropped wherever they are, binary data is one named error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroundup.cli import main
from newsroundup.errors import InputError
from newsroundup.sources.files import file_text
from newsroundup.store import Store

TEXT = "Harbour reopens\n\nThe harbour reopened on Tuesday after the storm. Ferries run again, the port said.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_with_a_bom_is_read(encoding: str) -> None:
    data = TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # these codecs write no BOM: add the one a Windows editor would
        data = ("\ufeff" + TEXT).encode(encoding)
    assert file_text(data, "a.txt") == TEXT


@pytest.mark.parametrize("at", [10, 9000])
def test_a_stray_nul_is_dropped_wherever_it_is(at: int) -> None:
    data = (TEXT + "x" * 9000).encode()
    text = file_text(data[:at] + b"\x00" + data[at:], "a.txt")
    assert "\x00" not in text and text.startswith("Harbour reopens")


def test_a_stray_nul_in_legacy_encoded_text_is_dropped() -> None:
    data = ("Caf\u00e9 " + TEXT).encode("cp1252")
    assert file_text(data[:5] + b"\x00" + data[5:], "a.txt").startswith("Caf\u00e9 Harbour")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "file is empty"),
        (b" \n\t\n", "file is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary file"),
        (bytes(range(256)) * 16, "binary"),
        (b"\xff\xfe" + b"\x00\xd8" * 3, "binary file"),  # UTF-16 BOM, then only lone surrogates
    ],
)
def test_unusable_bytes_are_one_line_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        file_text(data, "in/a.txt")
    assert str(caught.value).startswith("in/a.txt: ") and problem in str(caught.value)
    assert "\n" not in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_give_text_without_control_characters_or_one_input_error(data: bytes) -> None:
    try:
        text = file_text(data, "a.txt")
    except InputError as exc:
        assert str(exc).startswith("a.txt: ")
        return
    assert text.strip() and not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def test_add_keeps_the_good_files_of_a_folder_and_names_each_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wide.txt").write_bytes(TEXT.encode("utf-16"))
    (folder / "nul.txt").write_bytes(TEXT.replace("storm", "storm\x00 at sea").encode())
    (folder / "noise.txt").write_bytes(os.urandom(4096).replace(b"\n", b"") + b"\x00" * 64)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "s.db"
    assert main(["add", str(folder), "--db", str(db), "--quiet"]) == 1
    with Store(db) as store:
        texts = [a.text for a in store.articles()]
        failures = [f[3] for f in store.failures()]
    assert len(texts) == 2 and not any("\x00" in t for t in texts)
    assert any("storm at sea" in t for t in texts)
    assert sorted(Path(m.split(":")[0]).name for m in failures) == ["empty.txt", "noise.txt"]
    assert "Traceback" not in capsys.readouterr().err


def test_one_bad_code_unit_in_utf16_text_is_dropped_not_fatal() -> None:
    data = b"\xff\xfe" + TEXT[:40].encode("utf-16-le") + b"\x00\xd8" + TEXT[40:].encode("utf-16-le")
    assert file_text(data, "a.txt") == TEXT


def test_junk_lines_in_a_jsonl_file_do_not_lose_its_records() -> None:
    good = '{"id": "good", "text": "The harbour reopened on Monday."}'
    junk = "\x01\x02\x03\x04\x05\x06\x07\x08 not json \x0e\x0f"
    data = "\n".join([junk, good, junk]).encode()
    with pytest.raises(InputError, match="binary file"):
        file_text(data, "a.jsonl")  # as plain text, too many control characters
    assert good in file_text(data, "a.jsonl", records=True)
    with pytest.raises(InputError, match="binary file"):
        file_text(junk.encode() * 20, "a.jsonl", records=True)  # no line opens an object: binary after all


def test_a_bad_utf8_sequence_no_encoding_fits_costs_only_its_characters() -> None:
    good = b'{"id": "good", "text": "The harbour reopened on Monday after the storm, the council said."}'
    data = good + b"\n[\xed\xb2\x80\xc3\xb0\xc3\xa2\xc2\x90\xc2\x8ee\xf1\xbf\x9a\x90\x14\n8\n{}"
    text = file_text(data, "a.jsonl", records=True)
    assert text.startswith(good.decode()) and "\ufffd" not in text

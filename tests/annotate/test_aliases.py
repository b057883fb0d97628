"""Name matching and alias tables: spelling variants merge, different people never do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsroundup.annotate.aliases import BUILTIN_ALIASES, load_alias_file, name_key, same_person
from newsroundup.errors import InputError


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohammed Nasser al-Qadiri", "Muhammad Naser al-Kadiri"),
        ("Nasser el-Qadiri", "Mohammed Nasser al-Qadiri"),
        ("Pavel Osterhaus", "Pavel Osterhouse"),
        ("Tomás Quiroga", "Tomas Quiroga"),
        ("Moammar Kadhafi", "Muammar Qaddafi"),
        ("J. Ortega", "Jorge Ortega"),
        ("Siobhan Cavanagh", "Siobhan Kavanagh"),
    ],
)
def test_spellings_of_one_name_match(a: str, b: str) -> None:
    assert same_person(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Teodora Marsh", "Daniel Marsh"),
        ("Samir al-Qadiri", "Mohammed Nasser al-Qadiri"),
        ("Karim Bensaid", "Omar Bensaid"),
        ("Ellen Marsh-Dubois", "Ellen Marsh"),
        ("John Carter", "John Porter"),
        ("Wei Chen", "Wei Ken"),
        ("Ana Cerda", "Ana Kerda"),
    ],
)
def test_different_people_do_not_match(a: str, b: str) -> None:
    assert not same_person(a, b)


def test_name_key_ignores_case_accents_dots_and_corporate_suffixes() -> None:
    assert name_key("Halvorsen Freight Inc.") == name_key("halvorsen freight")
    assert name_key("U.N.") == name_key("UN")
    assert name_key("the Oskova Dam’s") == name_key("Oskova Dam")


def test_builtin_table_knows_the_islamic_state_names() -> None:
    names = {"IS", "ISIS", "ISIL", "Islamic State", "Daesh"}
    entries = {BUILTIN_ALIASES.lookup(n) for n in names}
    assert len(entries) == 1
    entry = entries.pop()
    assert entry is not None and entry.name == "Islamic State" and entry.kind == "group"


def test_user_file_takes_names_over_from_the_builtin_table(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(
        '[[entity]]\nname = "Islamic State in Korasan"\nkind = "group"\naliases = ["IS", "ISKP"]\n',
        encoding="utf-8",
    )
    table = load_alias_file(path)
    user = table.lookup("IS")
    assert user is not None and user.name == "Islamic State in Korasan" and table.is_user_entry(user)
    builtin = table.lookup("ISIL")
    assert builtin is not None and builtin.name == "Islamic State" and not table.is_user_entry(builtin)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[[entity]\nname = 1", "not a valid TOML"),
        ('title = "no entities"\n', "no [[entity]] tables"),
        ('[[entity]]\naliases = ["X"]\n', "has no name"),
        ('[[entity]]\nname = "X"\nkind = "planet"\n', "kind must be one of"),
        ('[[entity]]\nname = "X"\naliases = "Y"\n', "aliases must be a list"),
    ],
)
def test_bad_alias_files_are_named_with_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(problem)) as info:
        load_alias_file(path)
    assert str(path) in str(info.value)


def test_a_missing_alias_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_alias_file(tmp_path / "nope.toml")


def test_nicknames_and_clipped_given_names_name_one_person() -> None:
    from newsroundup.annotate.aliases import same_given_name, same_person

    assert same_person("Ash Carter", "Ashton Carter")
    assert same_person("Bill Clinton", "William Clinton")
    assert same_person("Mike Pence", "Michael Pence")
    assert same_given_name("Bob", "Robert")
    assert not same_person("Hillary Clinton", "Bill Clinton")
    assert not same_person("Teodora Marsh", "Daniel Marsh")
    assert not same_given_name("Greta", "Ruth")
    assert not same_given_name("Jo", "Jonas")  # too short to be a clipped form

@pytest.mark.parametrize(
    ("name", "given", "surname"),
    [
        ("Jean-Yves Le Drian", ["Jean-Yves"], "Le Drian"),
        ("Ursula von der Leyen", ["Ursula"], "von der Leyen"),
        ("Bill de Blasio", ["Bill"], "de Blasio"),
        ("Mohammed bin Salman", ["Mohammed"], "bin Salman"),
        ("Le Drian", [], "Le Drian"),
        ("Ash Carter", ["Ash"], "Carter"),
    ],
)
def test_particles_stay_with_the_surname(name: str, given: list[str], surname: str) -> None:
    from newsroundup.annotate.aliases import split_person_name

    assert split_person_name(name) == (given, surname)


def test_particle_surnames_and_a_transposed_misspelling_are_one_person() -> None:
    from newsroundup.annotate.aliases import same_surname

    assert same_person("Jean-Yves Le Drian", "Le Drian")
    assert same_person("Jean-Yves Le Drian", "Le Drain")
    assert same_surname("Le Drian", "Drian")
    assert not same_person("Ash Carter", "Jimmy Carter")
    assert not same_surname("Drian", "Doran")

"""kill -9 at seeded points of ``newsroundup run`` (in subprocesses), then a re-run: it must equal a clean run.

The quick version of benchmarks/bench_kill9.py (20 kills): three kills on six of the examples' files and a feed
of four pages on loopback, without enrichment. The comparison (tests/killrun.py) covers articles, aliases, copy
links and signatures, feed state, failures, grouping state, stories and their members, roundup versions
(count, fingerprints, content) and every file of the site; only the times a run records are left out.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

from killrun import (
    EVENTS,
    differences,
    finished_run,
    killed_run,
    later_edition,
    run_command,
    serve_articles,
    site_snapshot,
    store_snapshot,
)
from loopback import LoopbackServer


def test_a_rerun_after_three_kills_equals_a_clean_run(web: LoopbackServer, tmp_path: Path) -> None:
    folder = tmp_path / "input"  # two of the examples' stories (one with a wire copy), kept small: 5 starts
    folder.mkdir()
    for path in [*EVENTS.glob("*tram*"), *EVENTS.glob("*lady-corran*")]:
        shutil.copy(path, folder / path.name)
    sources = [str(folder), serve_articles(web, later_edition()[:4], "edition")]
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    clean.mkdir()
    killed.mkdir()
    reference = finished_run(run_command(sources, clean / "news.db", clean / "site", "--no-enrich"), clean / "log")
    command = run_command(sources, killed / "news.db", killed / "site", "--no-enrich")
    rng = random.Random(18)
    # The first kill while articles are added (the clean run's timeline), then two anywhere in a run's time.
    delays = [rng.uniform(*reference.window("add")), *(rng.uniform(0, reference.seconds) for _ in range(2))]
    attempts = [
        killed_run(command, delay, killed / f"log{n}", killed / "news.db", killed / "site")
        for n, delay in enumerate(delays)
    ]
    assert attempts[0].killed  # the first start, from an empty store, cannot have finished before its delay
    finished_run(command, killed / "log-rerun")
    assert differences(store_snapshot(clean / "news.db"), store_snapshot(killed / "news.db"), "store") == []
    assert store_snapshot(killed / "news.db")["integrity"] == "ok"
    clean_site = site_snapshot(clean / "site", clean / "news.db")
    assert differences(clean_site, site_snapshot(killed / "site", killed / "news.db"), "site") == []

    # The check can fail: a lost story member, a changed roundup and a half-written file left in the site.
    with sqlite3.connect(killed / "news.db") as con:
        con.execute("DELETE FROM story_articles WHERE article_id = (SELECT min(article_id) FROM story_articles)")
        con.execute("UPDATE roundup_versions SET roundup = replace(roundup, 'the', 'a') "
                    "WHERE story_id = (SELECT min(story_id) FROM roundup_versions)")
    (killed / "site" / "stories" / ".page.html.tmp").write_text("half a page", encoding="utf-8")
    found = differences(store_snapshot(clean / "news.db"), store_snapshot(killed / "news.db"), "store")
    assert [line.split(":")[0] for line in found] == ["store roundup_versions", "store story_articles"]
    found = differences(clean_site, site_snapshot(killed / "site", killed / "news.db"), "site")
    assert [line.split(":")[0] for line in found] == ["site stories/.page.html.tmp"]

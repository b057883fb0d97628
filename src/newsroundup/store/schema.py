"""The store's schema as numbered migrations; ``PRAGMA user_version`` says how many are applied."""

from __future__ import annotations

from newsroundup.errors import InputError

# What a story is found by: its roundup's sentences and the names in its who's who. The first schemas read
# it out of the roundup JSON in SQL; since the fifth migration the store writes it (``rows.search_text``) into
# ``roundup_versions.search_text`` and this expression only backfills the versions saved before.
_ROUNDUP_WORDS = (
    "coalesce((SELECT group_concat(json_extract(value, '$.text'), ' ') FROM json_each({r}.roundup, '$.sentences')), '')"
    " || ' ' || coalesce((SELECT group_concat(json_extract(value, '$.name'), ' ') "
    "FROM json_each({r}.roundup, '$.entities')), '')"
)

# Each entry moves the schema from version i to i + 1. Never edit a released entry: append one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            url TEXT UNIQUE,
            outlet TEXT,
            title TEXT,
            author TEXT,
            published TEXT,
            language TEXT,
            fetched_at TEXT NOT NULL,
            text TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            partial INTEGER NOT NULL DEFAULT 0,
            syndicated_from TEXT,
            source TEXT
        )""",
        "CREATE UNIQUE INDEX articles_outlet_fingerprint ON articles (coalesce(outlet, ''), fingerprint)",
        "CREATE INDEX articles_when ON articles (coalesce(published, fetched_at))",
        "CREATE INDEX articles_outlet ON articles (outlet COLLATE NOCASE)",
        """CREATE TABLE aliases (
            url TEXT PRIMARY KEY,
            article_id TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE signatures (
            article_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            shingles INTEGER NOT NULL,
            minhash BLOB NOT NULL
        )""",
        "CREATE INDEX signatures_seq ON signatures (seq)",
        """CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            etag TEXT,
            last_modified TEXT,
            last_polled_at TEXT,
            last_status TEXT,
            last_new INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            polls INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID""",
        """CREATE TABLE failures (
            source TEXT NOT NULL,
            item TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (source, item)
        ) WITHOUT ROWID""",
    ),
    (
        """CREATE TABLE robots (
            origin TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            body TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
    (
        # The grouping state (a serialised StoryIndex) and the last article seq it has seen.
        """CREATE TABLE grouping (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            state TEXT NOT NULL,
            article_seq INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            first_seen TEXT,
            last_seen TEXT,
            articles INTEGER NOT NULL,
            independent INTEGER NOT NULL,
            merged_into TEXT,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        "CREATE INDEX stories_last_seen ON stories (last_seen)",
        """CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL
        ) WITHOUT ROWID""",
        "CREATE INDEX story_articles_story ON story_articles (story_id)",
        """CREATE TABLE roundup_versions (
            story_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            created_at TEXT NOT NULL,
            headline TEXT NOT NULL,
            roundup TEXT NOT NULL,
            PRIMARY KEY (story_id, version)
        ) WITHOUT ROWID""",
    ),
    (
        # Full-text search (FTS5) over articles (title, text) and over each story's latest roundup
        # (headline, sentences, entity names); triggers keep both in step with the tables they index.
        """CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq',
            tokenize='porter unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
        END""",
        """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        END""",
        """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
        END""",
        "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
        """CREATE VIRTUAL TABLE stories_fts USING fts5(
            story_id UNINDEXED, headline, body,
            tokenize='porter unicode61 remove_diacritics 2'
        )""",
        f"""CREATE TRIGGER stories_fts_roundup AFTER INSERT ON roundup_versions BEGIN
            DELETE FROM stories_fts WHERE story_id = new.story_id;
            INSERT INTO stories_fts (story_id, headline, body)
            VALUES (new.story_id, new.headline, {_ROUNDUP_WORDS.format(r="new")});
        END""",
        f"""INSERT INTO stories_fts (story_id, headline, body)
            SELECT r.story_id, r.headline, {_ROUNDUP_WORDS.format(r="r")} FROM roundup_versions r
            WHERE r.version = (SELECT max(version) FROM roundup_versions WHERE story_id = r.story_id)""",
    ),
    (
        # Search reads a column the store writes, not the roundup JSON (a renamed field broke it silently).
        "ALTER TABLE roundup_versions ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
        f"UPDATE roundup_versions SET search_text = {_ROUNDUP_WORDS.format(r='roundup_versions')}",
        "DROP TRIGGER stories_fts_roundup",
        """CREATE TRIGGER stories_fts_roundup AFTER INSERT ON roundup_versions BEGIN
            DELETE FROM stories_fts WHERE story_id = new.story_id;
            INSERT INTO stories_fts (story_id, headline, body) VALUES (new.story_id, new.headline, new.search_text);
        END""",
        # Each version's who's who as rows the store writes (the entity pages read them, not the JSON).
        """CREATE TABLE story_entities (
            story_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            aliases TEXT NOT NULL,
            roles TEXT NOT NULL,
            PRIMARY KEY (story_id, version, position)
        )""",
        """INSERT INTO story_entities (story_id, version, position, name, kind, aliases, roles)
            SELECT r.story_id, r.version, e.key, json_extract(e.value, '$.name'),
                   coalesce(json_extract(e.value, '$.kind'), ''), coalesce(json_extract(e.value, '$.aliases'), '[]'),
                   coalesce(json_extract(e.value, '$.roles'), '[]')
            FROM roundup_versions r JOIN json_each(r.roundup, '$.entities') e
            WHERE json_extract(e.value, '$.name') IS NOT NULL""",
    ),
    (
        # The grouping state keeps one row per story, so a save after a few articles writes a few rows.
        """CREATE TABLE grouping_stories (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            state TEXT NOT NULL
        ) WITHOUT ROWID""",
        # A damaged state (not JSON) is left whole: it reads as unusable and the articles are grouped again.
        """INSERT INTO grouping_stories (id, seq, state)
            SELECT json_extract(s.value, '$.id'), json_extract(s.value, '$.seq'), s.value
            FROM (SELECT state FROM grouping WHERE json_valid(state) AND json_type(state, '$.stories') = 'array') g,
                 json_each(g.state, '$.stories') s""",
        "UPDATE grouping SET state = json_remove(state, '$.stories') WHERE json_valid(state)",
    ),
)


def pending_migrations(
    where: object, version: int, migrations: tuple[tuple[str, ...], ...]
) -> tuple[tuple[str, ...], ...]:
    """The migrations a store at schema ``version`` still needs (either backend's); ``InputError`` when it is newer."""
    if version > len(migrations):
        raise InputError(
            f"{where}: database schema version {version} is newer than this newsroundup "
            f"understands ({len(migrations)}); upgrade newsroundup"
        )
    return migrations[version:]

//! The schema: every migration in order, append-only. A database's version
//! (`PRAGMA user_version`) is the number of migrations applied to it.

/// `PRAGMA application_id` of every Zonescope database ("ZSCP").
pub const APPLICATION_ID: i32 = 0x5A53_4350;

/// Append-only: a released migration is never edited; a change is a new entry. The schema
/// version (`PRAGMA user_version`) is the number of migrations applied.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the domain.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE entity (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL CHECK (kind = 'zone' OR kind = 'group' OR kind = 'aggregate'),
        short_name TEXT,
        name_en    TEXT,
        code       TEXT,
        province   TEXT,
        city       TEXT,
        level      TEXT,
        zone_type  TEXT,
        approved   TEXT,           -- 'YYYY.MM' as published
        area_ha    REAL,
        industries TEXT,
        in_catalog INTEGER NOT NULL DEFAULT 0,
        note       TEXT
    );
    CREATE TABLE alias (
        alias     TEXT NOT NULL,
        entity_id INTEGER NOT NULL REFERENCES entity (id) ON DELETE CASCADE,
        kind      TEXT NOT NULL CHECK (kind = 'short' OR kind = 'alias' OR kind = 'en'),
        PRIMARY KEY (alias, entity_id)
    );
    CREATE TABLE group_member (
        group_id  INTEGER NOT NULL REFERENCES entity (id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES entity (id),
        position  INTEGER NOT NULL,
        PRIMARY KEY (group_id, member_id)
    );
    CREATE TABLE indicator (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        name_en TEXT,
        kind    TEXT NOT NULL CHECK (kind = 'flow' OR kind = 'stock' OR kind = 'rank')
    );
    CREATE TABLE source (
        id        INTEGER PRIMARY KEY,
        key       TEXT NOT NULL UNIQUE,
        title     TEXT,
        publisher TEXT NOT NULL,
        address   TEXT NOT NULL DEFAULT '',
        published TEXT,            -- 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY': as precise as known
        kind      TEXT,
        full_text TEXT
    );
    CREATE TABLE observation (
        id           INTEGER PRIMARY KEY,
        entity_id    INTEGER NOT NULL REFERENCES entity (id),
        indicator_id INTEGER NOT NULL REFERENCES indicator (id),
        -- CHECKs are written with OR, not IN: SQLite builds a temporary table for every IN
        -- list it evaluates, which made bulk inserts three times slower.
        measure      TEXT NOT NULL
                     CHECK (measure = 'value' OR measure = 'yoy_pct' OR measure = 'share_pct'
                            OR measure = 'rank' OR measure = 'yoy_pp' OR measure = 'avg_yoy_pct'),
        period_kind  TEXT NOT NULL
                     CHECK (period_kind = 'year' OR period_kind = 'span' OR period_kind = 'at' OR period_kind = 'none'),
        period_start INTEGER,      -- YYYYMMDD, first day covered
        period_end   INTEGER,      -- YYYYMMDD, last day covered
        period_text  TEXT NOT NULL DEFAULT '',
        value        REAL NOT NULL, -- as written, in unit
        unit         TEXT NOT NULL,
        value_base   REAL NOT NULL, -- in unit_base
        unit_base    TEXT NOT NULL,
        qualifier    TEXT CHECK (qualifier = 'over' OR qualifier = 'under' OR qualifier = 'about'),
        source_id    INTEGER NOT NULL REFERENCES source (id),
        quote        TEXT,
        quote_start  INTEGER,      -- character span of the quote in the source's full text
        quote_end    INTEGER,
        status       TEXT NOT NULL DEFAULT 'accepted'
                     CHECK (status = 'candidate' OR status = 'accepted' OR status = 'rejected'),
        derived_from TEXT,         -- how a derived value was computed, NULL when published
        note         TEXT
    );
    CREATE TABLE saved_view (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        spec    TEXT NOT NULL,     -- JSON
        created TEXT NOT NULL DEFAULT (datetime('now')),
        updated TEXT NOT NULL DEFAULT (datetime('now'))
    );
    "#,
    // 2: indexes for the questions asked every frame: one entity's figures, one source's.
    r#"
    CREATE INDEX observation_by_entity
        ON observation (entity_id, indicator_id, measure, period_start);
    CREATE INDEX observation_by_source ON observation (source_id);
    CREATE INDEX alias_by_entity ON alias (entity_id);
    "#,
    // 3: rankings ask one indicator across every entity.
    r#"
    CREATE INDEX observation_by_indicator ON observation (indicator_id, measure, period_start);
    "#,
    // 4: what the pickers and rankings show, kept by every write (`summary.rs`) instead of
    // counted over every figure at each opening; and a ranking reads one period of one
    // indicator, whose start many periods share (2024, 2024年1-8月…), so the index ends on both.
    r#"
    CREATE TABLE figure_count (
        entity_id    INTEGER NOT NULL,
        indicator_id INTEGER NOT NULL,
        source_id    INTEGER NOT NULL,
        status       TEXT NOT NULL,
        n            INTEGER NOT NULL,
        PRIMARY KEY (entity_id, indicator_id, source_id, status)
    ) WITHOUT ROWID;
    -- An indicator's and a source's counts are read without sorting the summary.
    CREATE INDEX figure_count_by_indicator ON figure_count (indicator_id, status, n);
    CREATE INDEX figure_count_by_source ON figure_count (source_id, status, n);
    CREATE TABLE ranking_period (
        indicator_id INTEGER NOT NULL,
        measure      TEXT NOT NULL,
        period_kind  TEXT NOT NULL,
        period_start INTEGER NOT NULL,
        period_end   INTEGER NOT NULL,
        entities     INTEGER NOT NULL, -- entities with an accepted figure for the period
        period_text  TEXT NOT NULL,    -- the period as one of those figures writes it
        PRIMARY KEY (indicator_id, measure, period_kind, period_start, period_end)
    ) WITHOUT ROWID;
    DROP INDEX observation_by_indicator;
    CREATE INDEX observation_by_indicator ON observation (indicator_id, measure, period_end, period_start);
    "#,
    // 5: what a share is of (model::ShareOf); NULL where the text does not say, and for every
    // figure that is no share. Adding a column rewrites no row.
    r#"
    ALTER TABLE observation ADD COLUMN share_of TEXT
        CHECK (share_of IS NULL OR (measure = 'share_pct' AND (share_of = 'host_district' OR share_of = 'host_city'
               OR share_of = 'host_province' OR share_of = 'nation' OR share_of = 'own_total')));
    "#,
    // 6: a ranking ranks zones only, so the period it opens on is the one the most zones
    // report: each ranking period counts its zones too. Filled through the indicator index,
    // one period at a time.
    r#"
    ALTER TABLE ranking_period ADD COLUMN zones INTEGER NOT NULL DEFAULT 0; -- of those entities, single zones
    UPDATE ranking_period SET zones = (
        SELECT count(DISTINCT o.entity_id) FROM observation o JOIN entity e ON e.id = o.entity_id
        WHERE o.indicator_id = ranking_period.indicator_id AND o.measure = ranking_period.measure
          AND o.period_end = ranking_period.period_end AND o.period_start = ranking_period.period_start
          AND o.period_kind = ranking_period.period_kind AND o.status = 'accepted' AND e.kind = 'zone');
    "#,
    // 7: no index by indicator. It was the dearest of the figures' indexes to build and to keep
    // (1.2-1.4 s a million rows, against 0.7-1.0 s for the entity index), for the one question
    // of a ranking; a ranking now asks the entity index once per entity that reports the
    // indicator (`figure_count` names them), which costs a few milliseconds more per ranking.
    r#"
    DROP INDEX observation_by_indicator;
    "#,
    // 8: no index by source either. Only the undo of an import asks for one source's figures,
    // and `figure_count` names the zones and indicators they are of, which the entity index
    // finds; a million-row import spent 0.3-0.4 s building it. Deleting the source row then
    // checks its foreign key by reading the figures once: a second on the largest databases,
    // for a rare command, and no figure is ever left without its source.
    r#"
    DROP INDEX IF EXISTS observation_by_source;
    "#,
    // 9: figures without a quote or note of their own (a table's, a synthetic database's) kept
    // as series, one row per zone, indicator, measure, unit and source (`series.rs`): a row
    // per figure cost 1.5 µs to write and 21 columns to read. `n` counts the figures of the
    // blob. Older figures stay rows; both are read.
    r#"
    CREATE TABLE series (
        id           INTEGER PRIMARY KEY,
        entity_id    INTEGER NOT NULL REFERENCES entity (id),
        indicator_id INTEGER NOT NULL REFERENCES indicator (id),
        measure      TEXT NOT NULL,
        unit         TEXT NOT NULL,
        unit_base    TEXT NOT NULL,
        share_of     TEXT,
        source_id    INTEGER NOT NULL REFERENCES source (id),
        status       TEXT NOT NULL DEFAULT 'accepted',
        n            INTEGER NOT NULL,
        figures      BLOB NOT NULL -- last: the columns before it stay on the row's own page
    );
    CREATE INDEX series_by_entity ON series (entity_id, indicator_id, measure);
    CREATE INDEX series_by_source ON series (source_id);
    "#,
];

/// The first schema version with `figure_count` and `ranking_period`: opening an older
/// database fills them once.
pub(super) const SUMMARIES_SINCE: i64 = 4;

/// The first schema version that keeps a table's and a synthetic database's figures as series:
/// a synthetic database from before holds them as rows, and benchmarks make theirs again.
pub const SERIES_SINCE: i64 = 9;

/// The schema version this app writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

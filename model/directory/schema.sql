-- canbo directory: the SQLite schema written by `canbo index` (model/directory/schema.sql).
-- Offsets are character offsets into documents.text, end exclusive (Python slicing; in SQL,
-- substr(text, start + 1, end - start)). Dates are ISO "YYYY-MM-DD" or NULL.

CREATE TABLE IF NOT EXISTS meta (            -- what wrote this file: app = "canbo-directory", schema_version
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (       -- one row per page (file path or url)
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL UNIQUE,      -- file path or url
    content_hash  TEXT NOT NULL,             -- sha256 of the text (UTF-8)
    date          TEXT,                      -- publication date from the page's header lines
    model_version TEXT NOT NULL,             -- model weights, rules and normalisation that produced the rows
    text          TEXT NOT NULL,
    indexed_at    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sentences (       -- the page's body sentences, as the pipeline split them
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    event_date  TEXT                          -- the date the sentence (or its paragraph's lead) gives
);
CREATE INDEX IF NOT EXISTS sentences_document ON sentences(document_id);

CREATE TABLE IF NOT EXISTS mentions (        -- entities: PERSON, POSITION, ORG, LOCATION, METRIC
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,            -- index in the page's entity list (relations refer to it)
    label       TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    score       REAL,
    origin      TEXT,                        -- which component decided the span: rules, model, both
    as_of       TEXT,                        -- event date of its sentence, else the page date
    norm        TEXT                         -- the normalised reading as JSON (model.normalise)
);
CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document_id);

CREATE TABLE IF NOT EXISTS relations (       -- HAS_POSITION: head = PERSON mention, tail = POSITION mention
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    head_id     INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    tail_id     INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    score       REAL
);
CREATE INDEX IF NOT EXISTS relations_head ON relations(head_id);

CREATE TABLE IF NOT EXISTS offices (         -- one per POSITION mention, decomposed
    mention_id  INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
    office_key  TEXT NOT NULL,               -- "title|organ|level|locality", folded (model.normalise.keys)
    title       TEXT,
    organ       TEXT,
    level       TEXT,                        -- commune, district, province, central
    locality    TEXT,                        -- as written, or inferred from the sentence or the page
    unit        TEXT,                        -- resolved unit: "Thành phố Hải Phòng > Huyện Kiến Thụy"
    inferred    INTEGER NOT NULL,            -- 1 when the locality was not written in the position
    title_key   TEXT NOT NULL,
    organ_key   TEXT NOT NULL,
    locality_key TEXT NOT NULL               -- folded locality ("" when none)
);
CREATE INDEX IF NOT EXISTS offices_title_organ ON offices(title_key, organ_key);

CREATE TABLE IF NOT EXISTS figures (         -- one per METRIC mention; value NULL when not read
    mention_id  INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
    number      REAL,
    scale       REAL,
    value       REAL,                        -- number x scale ("17,2%" -> 0.172)
    unit        TEXT,                        -- VND, USD, %, ha, km, household, target, ...
    per         TEXT,                        -- "person/year"
    low         REAL,                        -- a range: low and high, value NULL
    high        REAL,
    of_total    REAL,                        -- "18/18 chỉ tiêu": value 18, of_total 18
    qualifier   TEXT,                        -- about, over, under, at least, at most
    place       TEXT,                        -- the unit it is about: one named in its sentence, else the page's
    locality_key TEXT NOT NULL               -- that unit's name, folded ("" when none)
);

CREATE TABLE IF NOT EXISTS people (          -- one person across pages
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    name_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS people_name ON people(name_key);

CREATE TABLE IF NOT EXISTS page_people (     -- a name on one page (all its mentions there), and its person
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL,            -- people.id
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS page_people_person ON page_people(person_id);
CREATE INDEX IF NOT EXISTS page_people_document ON page_people(document_id);

CREATE TABLE IF NOT EXISTS person_mentions ( -- PERSON mentions of a page person
    mention_id     INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
    page_person_id INTEGER NOT NULL REFERENCES page_people(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS person_mentions_page_person ON person_mentions(page_person_id);

CREATE TABLE IF NOT EXISTS person_keys (     -- what a page person may be merged on: its offices and localities
    page_person_id INTEGER NOT NULL REFERENCES page_people(id) ON DELETE CASCADE,
    name_key       TEXT NOT NULL,
    kind           TEXT NOT NULL,            -- "office" (office_key) or "locality" (resolved unit or folded name)
    key            TEXT NOT NULL,
    PRIMARY KEY (page_person_id, kind, key)
);
CREATE INDEX IF NOT EXISTS person_keys_lookup ON person_keys(name_key, kind, key);

CREATE TABLE IF NOT EXISTS merges (          -- evidence: why a page person joined a person
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL,         -- people.id
    page_person_id INTEGER NOT NULL REFERENCES page_people(id) ON DELETE CASCADE,
    other_id       INTEGER NOT NULL REFERENCES page_people(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,            -- office or locality
    key            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS merges_person ON merges(person_id);

CREATE VIEW IF NOT EXISTS holdings AS        -- who holds which office, where and when, with the sentence
SELECT pp.person_id, p.name AS person, m.text AS office, o.office_key, o.title, o.organ, o.level, o.locality,
       o.unit, o.inferred, m.as_of, d.id AS document_id, d.source, s.start AS sentence_start, s.end AS sentence_end,
       substr(d.text, s.start + 1, s.end - s.start) AS sentence, m.id AS mention_id
FROM relations r
JOIN person_mentions pm ON pm.mention_id = r.head_id
JOIN page_people pp ON pp.id = pm.page_person_id
JOIN people p ON p.id = pp.person_id
JOIN mentions m ON m.id = r.tail_id
JOIN offices o ON o.mention_id = m.id
JOIN documents d ON d.id = r.document_id
LEFT JOIN sentences s ON s.id = m.sentence_id;

"""The numbered schema migrations. Append only: a released step is never edited.

``PRAGMA user_version`` holds the number of the last step applied. Each step
runs inside the same transaction as the version bump, so a crash leaves the
database at the old version, never between two.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "settings, audit log, domains and the versioned catalog",
        """
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            id      INTEGER PRIMARY KEY,
            at      TEXT NOT NULL,
            actor   TEXT NOT NULL,
            action  TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail  TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE domains (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            code       TEXT NOT NULL UNIQUE,
            position   INTEGER NOT NULL,
            hidden     INTEGER NOT NULL DEFAULT 0,
            builtin    INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE domain_aliases (
            alias     TEXT PRIMARY KEY,
            domain_id INTEGER NOT NULL REFERENCES domains(id)
        );
        CREATE TABLE catalog_versions (
            id        INTEGER PRIMARY KEY,
            label     TEXT NOT NULL,
            source    TEXT NOT NULL,
            loaded_at TEXT NOT NULL,
            summary   TEXT NOT NULL DEFAULT '{}'
        );
        -- One row per revision of an item. The active revision is what the
        -- catalog shows; older ones stay for the notices that cite them.
        CREATE TABLE catalog_items (
            pk                 INTEGER PRIMARY KEY,
            item_id            TEXT NOT NULL,
            rev                INTEGER NOT NULL,
            version_id         INTEGER NOT NULL REFERENCES catalog_versions(id),
            domain_id          INTEGER NOT NULL REFERENCES domains(id),
            seq                INTEGER NOT NULL,
            level1             TEXT NOT NULL,
            level2             TEXT NOT NULL DEFAULT '',
            level3             TEXT NOT NULL DEFAULT '',
            elements           TEXT NOT NULL DEFAULT '[]',
            basis              TEXT NOT NULL DEFAULT '',
            time_limit         TEXT NOT NULL DEFAULT '',
            rule               TEXT NOT NULL,
            subject            TEXT NOT NULL DEFAULT '',
            channels           TEXT NOT NULL DEFAULT '[]',
            audience           TEXT NOT NULL DEFAULT '[]',
            mode               TEXT NOT NULL DEFAULT '[]',
            levels             TEXT NOT NULL DEFAULT '[]',
            active             INTEGER NOT NULL DEFAULT 1,
            retired_version_id INTEGER REFERENCES catalog_versions(id),
            UNIQUE (item_id, rev)
        );
        CREATE UNIQUE INDEX catalog_items_one_active ON catalog_items(item_id) WHERE active = 1;
        CREATE INDEX catalog_items_by_domain ON catalog_items(domain_id, active, seq);
        """,
    ),
    (
        2,
        "holiday arrangements loaded by the clerk or the county",
        """
        CREATE TABLE calendar_years (
            year      INTEGER PRIMARY KEY,
            holidays  TEXT NOT NULL,
            workdays  TEXT NOT NULL,
            source    TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        );
        """,
    ),
    (
        3,
        "notices with revisions, review steps, boards, postings and photos",
        """
        CREATE TABLE notices (
            id           TEXT PRIMARY KEY,
            item_pk      INTEGER NOT NULL REFERENCES catalog_items(pk),
            kind         TEXT NOT NULL,
            status       TEXT NOT NULL,
            formed       TEXT NOT NULL,
            due          TEXT,
            due_known    INTEGER NOT NULL DEFAULT 1,
            current_rev  INTEGER NOT NULL,
            approved_rev INTEGER,
            review_round INTEGER NOT NULL DEFAULT 1,
            sync         TEXT NOT NULL DEFAULT 'none',
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE INDEX notices_by_status ON notices(status, due);
        CREATE TABLE notice_revisions (
            notice_id TEXT NOT NULL REFERENCES notices(id),
            rev       INTEGER NOT NULL,
            title     TEXT NOT NULL,
            body      TEXT NOT NULL,
            issuer    TEXT NOT NULL,
            phone     TEXT NOT NULL,
            author    TEXT NOT NULL,
            at        TEXT NOT NULL,
            change    TEXT NOT NULL,
            PRIMARY KEY (notice_id, rev)
        );
        CREATE TABLE review_steps (
            id        INTEGER PRIMARY KEY,
            notice_id TEXT NOT NULL REFERENCES notices(id),
            round     INTEGER NOT NULL,
            step      INTEGER NOT NULL,
            step_name TEXT NOT NULL,
            rev       INTEGER NOT NULL,
            reviewer  TEXT NOT NULL,
            at        TEXT NOT NULL,
            opinion   TEXT NOT NULL DEFAULT '',
            checklist TEXT NOT NULL DEFAULT '{}',
            outcome   TEXT NOT NULL,
            reason    TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE boards (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            kind       TEXT NOT NULL,
            position   INTEGER NOT NULL,
            active     INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE photos (
            sha256   TEXT PRIMARY KEY,
            path     TEXT NOT NULL,
            size     INTEGER NOT NULL,
            mime     TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE postings (
            id         INTEGER PRIMARY KEY,
            notice_id  TEXT NOT NULL REFERENCES notices(id),
            board_id   INTEGER NOT NULL REFERENCES boards(id),
            posted     TEXT NOT NULL,
            taken_down TEXT,
            photo      TEXT REFERENCES photos(sha256),
            created_at TEXT NOT NULL
        );
        CREATE INDEX postings_open ON postings(notice_id, board_id) WHERE taken_down IS NULL;
        """,
    ),
    (
        4,
        "the outbox to the county, frozen batches, the county's replies",
        """
        CREATE TABLE sync_batches (
            batch_id    TEXT PRIMARY KEY,
            created_at  TEXT NOT NULL,
            document    TEXT NOT NULL,
            notices     INTEGER NOT NULL,
            state       TEXT NOT NULL DEFAULT 'pending',
            attempts    INTEGER NOT NULL DEFAULT 0,
            last_error  TEXT NOT NULL DEFAULT '',
            sent_at     TEXT,
            exported_at TEXT
        );
        CREATE TABLE outbox (
            id        INTEGER PRIMARY KEY,
            notice_id TEXT NOT NULL REFERENCES notices(id),
            queued_at TEXT NOT NULL,
            batch_id  TEXT REFERENCES sync_batches(batch_id)
        );
        CREATE UNIQUE INDEX outbox_one_waiting ON outbox(notice_id) WHERE batch_id IS NULL;
        CREATE INDEX outbox_by_batch ON outbox(batch_id);
        CREATE TABLE county_replies (
            id          INTEGER PRIMARY KEY,
            seq         INTEGER NOT NULL,
            notice_id   TEXT NOT NULL,
            state       TEXT NOT NULL,
            url         TEXT,
            reason      TEXT,
            at          TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE INDEX county_replies_by_notice ON county_replies(notice_id, id);
        ALTER TABLE notices ADD COLUMN county_url TEXT;
        ALTER TABLE notices ADD COLUMN county_reason TEXT;
        """,
    ),
    (
        5,
        "the 依申请公开 register: requests, their clock, consultations and case files",
        """
        CREATE TABLE info_requests (
            id                  TEXT PRIMARY KEY,
            year                INTEGER NOT NULL,
            seq                 INTEGER NOT NULL,
            applicant           TEXT NOT NULL,
            applicant_type      TEXT NOT NULL,
            organisation_type   TEXT,
            contact             TEXT NOT NULL DEFAULT '',
            channel             TEXT NOT NULL,
            received            TEXT NOT NULL,
            content             TEXT NOT NULL,
            correction_sent     TEXT,
            correction_received TEXT,
            extension_days      INTEGER,
            extension_approver  TEXT,
            extended_on         TEXT,
            outcome             TEXT,
            outcome_item        TEXT,
            outcome_reason      TEXT NOT NULL DEFAULT '',
            answered            TEXT,
            created_at          TEXT NOT NULL,
            updated_at          TEXT NOT NULL,
            UNIQUE (year, seq)
        );
        CREATE INDEX info_requests_open ON info_requests(answered, received);
        CREATE TABLE request_consultations (
            id          INTEGER PRIMARY KEY,
            request_id  TEXT NOT NULL REFERENCES info_requests(id),
            third_party TEXT NOT NULL,
            sent        TEXT NOT NULL,
            replied     TEXT
        );
        CREATE INDEX request_consultations_by_request ON request_consultations(request_id);
        CREATE TABLE request_files (
            id         INTEGER PRIMARY KEY,
            request_id TEXT NOT NULL REFERENCES info_requests(id),
            kind       TEXT NOT NULL,
            name       TEXT NOT NULL,
            path       TEXT NOT NULL,
            sha256     TEXT NOT NULL,
            added_at   TEXT NOT NULL
        );
        CREATE INDEX request_files_by_request ON request_files(request_id);
        """,
    ),
    (
        6,
        "the clerk's edited text of each request's letters",
        """
        CREATE TABLE request_letters (
            request_id   TEXT NOT NULL REFERENCES info_requests(id),
            kind         TEXT NOT NULL,
            body         TEXT NOT NULL,
            drafted_from TEXT NOT NULL,
            saved_at     TEXT NOT NULL,
            PRIMARY KEY (request_id, kind)
        );
        """,
    ),
    (
        7,
        "review steps bound to their text and append-only; postings keep the revision hung",
        """
        ALTER TABLE review_steps ADD COLUMN text_hash TEXT;
        ALTER TABLE review_steps ADD COLUMN override TEXT NOT NULL DEFAULT '';
        -- Who approved which text is the clerk's defence: once written, a review
        -- step or a revision is never changed or removed, not even by the program.
        CREATE TRIGGER review_steps_append_only_u BEFORE UPDATE ON review_steps
            BEGIN SELECT RAISE(ABORT, 'review_steps is append-only'); END;
        CREATE TRIGGER review_steps_append_only_d BEFORE DELETE ON review_steps
            BEGIN SELECT RAISE(ABORT, 'review_steps is append-only'); END;
        CREATE TRIGGER notice_revisions_append_only_u BEFORE UPDATE ON notice_revisions
            BEGIN SELECT RAISE(ABORT, 'notice_revisions is append-only'); END;
        CREATE TRIGGER notice_revisions_append_only_d BEFORE DELETE ON notice_revisions
            BEGIN SELECT RAISE(ABORT, 'notice_revisions is append-only'); END;
        -- Which approved revision a posting put on the wall (NULL: posted before this was kept).
        ALTER TABLE postings ADD COLUMN rev INTEGER;
        """,
    ),
    (
        8,
        "what the 依申请公开 letters need from the register; the letters' 文号, given once",
        """
        ALTER TABLE info_requests ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
        ALTER TABLE info_requests ADD COLUMN address TEXT NOT NULL DEFAULT '';
        ALTER TABLE info_requests ADD COLUMN delivery TEXT NOT NULL DEFAULT '';
        ALTER TABLE info_requests ADD COLUMN correction_items TEXT NOT NULL DEFAULT '';
        ALTER TABLE info_requests ADD COLUMN extension_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE info_requests ADD COLUMN referred_to TEXT NOT NULL DEFAULT '';
        ALTER TABLE info_requests ADD COLUMN served_on TEXT;
        ALTER TABLE info_requests ADD COLUMN served_way TEXT NOT NULL DEFAULT '';
        ALTER TABLE request_consultations ADD COLUMN opinion TEXT;
        -- A 文号 is given once and never given again, even if its letter is redone:
        -- one row per letter, one number per year.
        CREATE TABLE letter_numbers (
            request_id  TEXT NOT NULL REFERENCES info_requests(id),
            kind        TEXT NOT NULL,
            year        INTEGER NOT NULL,
            seq         INTEGER NOT NULL,
            number      TEXT NOT NULL,
            assigned_at TEXT NOT NULL,
            PRIMARY KEY (request_id, kind),
            UNIQUE (year, seq)
        );
        CREATE TRIGGER letter_numbers_kept_u BEFORE UPDATE ON letter_numbers
            BEGIN SELECT RAISE(ABORT, 'letter_numbers is append-only'); END;
        CREATE TRIGGER letter_numbers_kept_d BEFORE DELETE ON letter_numbers
            BEGIN SELECT RAISE(ABORT, 'letter_numbers is append-only'); END;
        """,
    ),
    (
        9,
        "each county reply keeps the revision the county held when it answered",
        """
        ALTER TABLE county_replies ADD COLUMN rev INTEGER;
        CREATE INDEX county_replies_by_seq ON county_replies(notice_id, seq);
        """,
    ),
    (
        10,
        "each review step keeps the proofreading findings still open when it was passed",
        """
        -- JSON list of {rule, severity, text, line, col}; NULL for steps passed before
        -- proofreading existed (nobody read findings then, so none are claimed).
        ALTER TABLE review_steps ADD COLUMN findings TEXT;
        """,
    ),
    (
        11,
        "the plan of the year, the county's scoring rules, 整改 problems and their fixes",
        """
        -- What the clerk said of an item the catalog's 公开时限 does not settle:
        -- its schedule (JSON, NULL = as the catalog reads), 不涉及 with its reason,
        -- and how often a standing posting is confirmed (NULL = the township's default).
        CREATE TABLE item_plans (
            item_id        TEXT PRIMARY KEY,
            schedule       TEXT,
            not_applicable TEXT,
            confirm_months INTEGER,
            updated_at     TEXT NOT NULL,
            updated_by     TEXT NOT NULL DEFAULT ''
        );
        -- A standing (长期公开) posting seen again: a fresh photo of the board.
        CREATE TABLE standing_checks (
            id         INTEGER PRIMARY KEY,
            item_id    TEXT NOT NULL,
            day        TEXT NOT NULL,
            board_id   INTEGER REFERENCES boards(id),
            photo      TEXT REFERENCES photos(sha256),
            note       TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX standing_checks_by_item ON standing_checks(item_id, day);
        -- Each scoring-rules file loaded (by hand or from the county), kept whole.
        CREATE TABLE scoring_rules (
            id        INTEGER PRIMARY KEY,
            label     TEXT NOT NULL,
            source    TEXT NOT NULL,
            year      INTEGER,
            body      TEXT NOT NULL,
            loaded_at TEXT NOT NULL,
            active    INTEGER NOT NULL DEFAULT 1
        );
        -- The county's problem lists (测评问题清单) and each problem on them.
        CREATE TABLE rectify_lists (
            id          INTEGER PRIMARY KEY,
            title       TEXT NOT NULL,
            source      TEXT NOT NULL,
            received    TEXT NOT NULL,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE rectify_problems (
            id          TEXT PRIMARY KEY,
            list_id     INTEGER NOT NULL REFERENCES rectify_lists(id),
            seq         INTEGER NOT NULL,
            problem     TEXT NOT NULL,
            indicator   TEXT NOT NULL DEFAULT '',
            requirement TEXT NOT NULL DEFAULT '',
            target_kind TEXT NOT NULL DEFAULT '',
            target_id   TEXT NOT NULL DEFAULT '',
            days        INTEGER NOT NULL,
            deadline    TEXT NOT NULL,
            calendar_known INTEGER NOT NULL DEFAULT 1,
            created_at  TEXT NOT NULL,
            UNIQUE (list_id, seq)
        );
        -- A fix, once recorded, is the township's word to the county: never rewritten.
        -- A better fix is a new row; the latest counts.
        CREATE TABLE rectify_fixes (
            id         INTEGER PRIMARY KEY,
            problem_id TEXT NOT NULL REFERENCES rectify_problems(id),
            fixed_on   TEXT NOT NULL,
            action     TEXT NOT NULL,
            evidence   TEXT NOT NULL DEFAULT '[]',
            author     TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX rectify_fixes_by_problem ON rectify_fixes(problem_id, id);
        CREATE TRIGGER rectify_fixes_kept_u BEFORE UPDATE ON rectify_fixes
            BEGIN SELECT RAISE(ABORT, 'rectify_fixes is append-only'); END;
        CREATE TRIGGER rectify_fixes_kept_d BEFORE DELETE ON rectify_fixes
            BEGIN SELECT RAISE(ABORT, 'rectify_fixes is append-only'); END;
        """,
    ),
    (
        12,
        "政策解读 linked to what it explains (三同步), and where each notice actually went",
        """
        -- A 解读 is a notice of kind 解读: it explains a notice of the desk, or a policy
        -- the township implements, named by its title and 文号.
        ALTER TABLE notices ADD COLUMN explains TEXT REFERENCES notices(id);
        ALTER TABLE notices ADD COLUMN policy_title TEXT NOT NULL DEFAULT '';
        ALTER TABLE notices ADD COLUMN policy_number TEXT NOT NULL DEFAULT '';
        -- 文字 | 问答 | 图解 for a 解读, '' for the others.
        ALTER TABLE notices ADD COLUMN form TEXT NOT NULL DEFAULT '';
        -- 应解读: the notice cannot pass its last review step before its 解读 has (三同步).
        ALTER TABLE notices ADD COLUMN interpret INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX notices_by_explains ON notices(explains) WHERE explains IS NOT NULL;
        -- The township's word on an item: its notices need a 解读; only the metadata of
        -- its notices goes to the county (title, dates, counts, postings, photos).
        ALTER TABLE item_plans ADD COLUMN interpret INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE item_plans ADD COLUMN metadata_only INTEGER NOT NULL DEFAULT 0;
        -- Each time a notice went out on a channel other than a board (boards: postings):
        -- the screen and the days shown, the village broadcast, the post's URL, the
        -- 明白纸 delivered, the reading place. Kept as the clerk's record, never rewritten.
        CREATE TABLE channel_records (
            id         INTEGER PRIMARY KEY,
            notice_id  TEXT NOT NULL REFERENCES notices(id),
            channel    TEXT NOT NULL,
            day        TEXT NOT NULL,
            until      TEXT,
            url        TEXT NOT NULL DEFAULT '',
            place      TEXT NOT NULL DEFAULT '',
            count      INTEGER,
            note       TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX channel_records_by_notice ON channel_records(notice_id, channel);
        CREATE TRIGGER channel_records_kept_u BEFORE UPDATE ON channel_records
            BEGIN SELECT RAISE(ABORT, 'channel_records is append-only'); END;
        CREATE TRIGGER channel_records_kept_d BEFORE DELETE ON channel_records
            BEGIN SELECT RAISE(ABORT, 'channel_records is append-only'); END;
        """,
    ),
    (
        13,
        "every notice's postings and review steps found by an index, not by reading all",
        """
        -- Opening a notice read every posting of the desk (the only index held the ones
        -- still up): 0.6 ms a notice at 10,000, and 工作台 opens thousands of them.
        -- Its review history, and the 解读 sheet's date of each last step, read every step.
        CREATE INDEX postings_by_notice ON postings(notice_id, posted);
        CREATE INDEX review_steps_by_notice ON review_steps(notice_id, id);
        """,
    ),
)

LATEST: int = MIGRATIONS[-1][0]

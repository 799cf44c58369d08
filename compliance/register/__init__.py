"""Post-facto tracking (Art. 66): a register of checks, rendered documents, incidents and
reviews, append-only and hash-chained, with history, diff, re-evaluation, due items and a
portfolio page. store.py owns the SQLite file; everything else reads records as data."""

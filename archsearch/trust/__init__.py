"""Who may read what, and the record of every read: users, access scopes, the audit chain, saved searches, private files."""

"""The regional personnel reserve: memberships (cl. 12, 13-3), later exclusion (cl. 18) and expiry."""

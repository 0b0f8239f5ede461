"""Cross-cutting infrastructure: settings, database, logging, HTTP helpers, audit."""

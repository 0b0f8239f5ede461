"""Administration of a region: role assignments (later: settings, reference data)."""

"""National-scale benchmark data (`portal bench seed`) for `make bench` (issue 9)."""

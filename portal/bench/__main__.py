"""`python -m portal.bench seed`, the same as `portal bench seed`."""

from portal.bench.cli import bench

bench(prog_name="portal bench")

"""`python -m portal.bench seed` works before the group is wired into the `portal` command."""

from portal.bench.cli import bench

bench(prog_name="portal bench")

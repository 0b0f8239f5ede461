"""Regional Personnel Reserve Portal (Decree No. 255 of the President of Kazakhstan)."""

from pathlib import Path

#: The repository root: templates/, static/ and tenants/ live here, beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

__all__ = ["PROJECT_ROOT"]

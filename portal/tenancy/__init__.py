"""Tenancy: the 20 regions of Kazakhstan, one tenant each (rules.md section 5.1)."""

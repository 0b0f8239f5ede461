"""Identity and access: OIDC login, users, roles per region, policies."""

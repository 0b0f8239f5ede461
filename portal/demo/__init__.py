"""Demonstration data for ``make run``: realistic kk/ru/en texts built from templates, and the seeder.

The text builders (``portal.demo.texts`` and its ``text_*`` helpers) are pure: no web framework, no
database, no clock, and no randomness other than a ``random.Random`` derived from their arguments.
"""

"""Decree No. 255 as pure Python: every legal rule once, keyed by clause (rules.md sections 1, 3-5).

Modules: `iin` (rules.md 5.2), `calendar` (working days, cl. 7), `eligibility` (cl. 4, 5),
`ranking` (cl. 10), `terms` (cl. 12, 13-2, 13-3), `routing` (cl. 14-17), `grounds` (cl. 13, 18)
and `voting` (rules.md A-20). No web framework, no database, no I/O and no clock: dates are
arguments. Where the Rules are ambiguous the default of rules.md section 4 is taken and made a
parameter; see README.md beside this file.
"""

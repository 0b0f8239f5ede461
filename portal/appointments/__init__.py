"""Appointment from the regional reserve (ch. 3, cl. 14-17): posts, proposals, routing, consents."""

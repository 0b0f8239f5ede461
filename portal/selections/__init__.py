"""Selections into the regional reserve and their public announcements (cl. 3, 6, 7)."""

"""The regional personnel commission: composition, meetings, agendas, votes, decisions (issue 7)."""

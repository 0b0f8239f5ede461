"""The legal texts shown on the public `/rules` page: Decree No. 255 in Kazakh, and our ru/en summaries.

`decree` parses the shipped Kazakh text (decree-255-rules.kk.txt, byte-identical to the seed) into
chapters, clauses and sub-items with URL anchors; `summaries` holds the unofficial Russian and English
summaries per clause and the disclaimer that must accompany them. No web framework here.
"""

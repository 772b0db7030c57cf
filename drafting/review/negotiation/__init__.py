"""Negotiation rounds: read a returned draft, update it, find the drafts a new version affects.

A draft goes out, comes back edited in Word or LibreOffice, and meanwhile the answers
change or the library gets a new clause version. What is where:

- `draft`: a returned draft and what made it (provenance, the answers it carries, tracked
  changes still pending); `rebuild` drafts it again, as it was (the *base*) or as the new
  answers and library give it;
- `sections`: where each clause and schedule of a draft is, after any editing; `looks`:
  blocks keyed by what a reader sees, so a draft saved again by another program shows no
  edit where there is none;
- `rounds`: the three documents of a round (base, draft, new), cut and keyed;
- `inspect`: what was done to a draft, clause by clause (`drafting inspect`);
- `merge`: the three-way merge of one story's blocks; `transplant`: new blocks brought
  into the draft's package; `comments`: the notes left where both sides changed the same
  text; `update`: the updated draft as a redline of the returned one (`drafting update`);
- `impact`: the drafts under a folder that use superseded clause versions (`drafting
  impact`).
"""

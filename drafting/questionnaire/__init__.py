"""Front ends of the questionnaire built on `drafting.questionnaire.questions`: the terminal and paper.

- `terminal`: one question at a time, saved after every answer, resumable.
- `paper`: the whole questionnaire as a Markdown or Word form.
- `store`: atomic saves and reopening a partly filled file.
"""

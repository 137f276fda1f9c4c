"""Books in, chapters out, then spoken: `kokoro book`.

Readers (``epub``, ``pdf``, ``markup`` for HTML and Markdown, ``plain_text``) turn a file into one
``Book`` of chapters and paragraphs (``reader.read_book`` picks one). ``job.make_book`` speaks the
chosen chapters through the speech pipeline into a work folder in the data home, one file per
chapter keyed by everything that shapes its audio, so a killed run resumes and a changed option
re-renders only what it changes; then it assembles an M4B with chapter marks (``m4b``) or one file
per chapter (``outputs``). Nothing here imports a face.
"""

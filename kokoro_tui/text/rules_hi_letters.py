"""What is part of a word in Hindi text, for the rules' word boundaries.

Python's ``\\w`` takes Devanagari letters but not the vowel signs, virama and nukta, so "डॉ"
looked like a whole word inside "डॉक्टर"; the dandas (। ॥) end a sentence and are no letters,
so "10:30 बजे।" still ends with the word बजे.
"""

LETTER = r"[\w\u0900-\u0963\u0971-\u097f]"

"""The entities stage: spaCy spans corrected by the gazetteer and general organisation rules."""

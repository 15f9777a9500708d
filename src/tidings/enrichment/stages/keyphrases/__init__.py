"""The keyphrases stage: rules for the salient common words and phrases of an article."""

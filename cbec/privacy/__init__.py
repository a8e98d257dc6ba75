"""Personal-information protection: field encryption, masking and keyed pseudonyms."""

"""The model boundary's word form: tone placement, NFC, and what old checkpoints get."""

from __future__ import annotations

import unicodedata

from canbo.model.checkpoint import InferenceConfig
from canbo.model.encoding import WordEncoder, phobert_word


class CharTokenizer:  # one piece per character: two spellings differ unless the word form is the same
    bos_token_id, eos_token_id, pad_token_id, unk_token_id = 0, 2, 1, 3

    def tokenize(self, word):
        return list(word)

    def convert_tokens_to_ids(self, toks):
        return [10 + ord(t) for t in toks]


def test_modern_tone_makes_both_spellings_one_word():
    old, new = "Kiến Thuỵ", "Kiến Thụy"
    assert phobert_word(old) != phobert_word(new)  # without it, as models before it were trained
    assert phobert_word(old, modern_tone=True) == phobert_word(new, modern_tone=True) == "Kiến_Thụy"
    assert phobert_word(unicodedata.normalize("NFD", "hoà"), modern_tone=True) == "hòa"
    assert phobert_word("quý", modern_tone=True) == "quý"  # "qu" + vowel is not a uy diphthong


def test_word_encoder_uses_the_setting():
    on, off = WordEncoder(CharTokenizer(), modern_tone=True), WordEncoder(CharTokenizer())
    assert on.pieces("Thuỵ") == on.pieces("Thụy")
    assert off.pieces("Thuỵ") != off.pieces("Thụy")


def test_checkpoints_without_the_setting_read_words_as_they_were_trained():
    values = {"entity_labels": ["PERSON", "POSITION", "ORG", "LOCATION", "METRIC"]}
    assert InferenceConfig(values).modern_tone is False
    assert InferenceConfig({**values, "modern_tone": True}).modern_tone is True

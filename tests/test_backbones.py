"""Tests for the tiny offline PhoBERT-architecture backbone (train/backbones.py). No network."""

from __future__ import annotations

import json

import pytest
import torch
from transformers import AutoModel, AutoTokenizer, PhobertTokenizer, RobertaModel

from canbo.train.backbones import (
    build_tiny_backbone,
    learn_bpe,
    main,
    phobert_base_shape_config,
    read_corpus,
    segmented_corpus_texts,
    write_phobert_vocab,
)

CORPUS = [
    "Chủ_tịch UBND tỉnh Quảng_Nam Lê_Trí_Thanh đã ký quyết_định bổ_nhiệm 3 cán_bộ .",
    "Phó chủ_tịch UBND huyện Kiến_Thụy Nguyễn_Văn_An phát_biểu tại hội_nghị .",
    "Bí_thư Tỉnh_ủy Hải_Phòng chủ_trì cuộc họp với 120 đại_biểu , năm 2024 .",
    "Giám_đốc Sở Tài_chính tỉnh Quảng_Nam báo_cáo thu ngân_sách đạt 25.000 tỷ đồng .",
    "Ông Trần_Văn_Bình được bầu giữ chức Chủ_tịch HĐND xã Đông_Hưng ( nhiệm_kỳ 2021 - 2026 ) .",
]


def test_learn_bpe_handwritten_merges():
    vocab, merges = learn_bpe(["cán_bộ cán_bộ xã"], num_merges=10)
    # pair counts tie at 2 -> lexicographically smallest pair first; words end with "</w>"
    assert merges == [
        ("_", "b"),
        ("_b", "ộ</w>"),
        ("c", "á"),
        ("cá", "n"),
        ("cán", "_bộ</w>"),
        ("x", "ã</w>"),
    ]
    assert vocab["cán_bộ"] == 2 and vocab["xã"] == 1
    assert vocab["cá@@"] == 0 and vocab["_bộ"] == 0  # merge products kept for coverage
    for ch in "cán_bộxã":
        assert ch in vocab and ch + "@@" in vocab
    assert list(vocab)[:2] == ["cán_bộ", "xã"]  # sorted by count desc, then token


def test_learn_bpe_min_count_and_determinism():
    _, merges = learn_bpe(["cán_bộ cán_bộ xã"], num_merges=10, min_count=2)
    assert ("x", "ã</w>") not in merges and len(merges) == 5
    first = learn_bpe(CORPUS, num_merges=60)
    assert learn_bpe(CORPUS, num_merges=60) == first
    assert learn_bpe(list(reversed(CORPUS)), num_merges=60) == first
    assert len(first[1]) == 60


def test_written_files_round_trip_through_phobert_tokenizer(tmp_path):
    vocab, merges = learn_bpe(CORPUS, num_merges=80)
    vocab_path, codes_path = write_phobert_vocab(vocab, merges, tmp_path)
    lines = vocab_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].rsplit(" ", 1)[0] == next(iter(vocab)) and len(lines) == len(vocab)
    codes = codes_path.read_text(encoding="utf-8")
    assert codes.endswith("\n") and codes.splitlines()[0] == f"{merges[0][0]} {merges[0][1]} 0"
    tok = PhobertTokenizer(vocab_file=str(vocab_path), merges_file=str(codes_path))
    assert list(tok.bpe_ranks) == merges
    assert tok.convert_tokens_to_ids(list(vocab)[:3]) == [4, 5, 6]
    sentence = "Phó chủ_tịch tỉnh Hải_Phòng Lê_Văn_Thanh báo_cáo ."
    tokens = tok.tokenize(sentence)
    assert "<unk>" not in tokens and all(t in vocab for t in tokens)
    assert tok.convert_tokens_to_string(tokens) == sentence


@pytest.fixture(scope="module")
def backbone(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    return build_tiny_backbone(CORPUS, out, num_merges=200, hidden_size=32, num_heads=2, intermediate_size=64)


def test_built_tokenizer_loads_and_round_trips(backbone):
    assert {"vocab.txt", "bpe.codes", "config.json", "model.safetensors"} <= {
        p.name for p in backbone.iterdir()
    }
    tok = AutoTokenizer.from_pretrained(backbone)
    assert isinstance(tok, PhobertTokenizer)
    assert (tok.bos_token_id, tok.pad_token_id, tok.eos_token_id, tok.unk_token_id) == (0, 1, 2, 3)
    assert tok.mask_token_id == len(tok) - 1 and tok.model_max_length == 256
    # unseen words made of seen characters -> known subwords, no <unk>
    sentence = "Giám_đốc Sở Nội_vụ huyện Đông_Hưng Phạm_Thị_Hà phát_biểu tại hội_nghị năm 2025 ."
    tokens = tok.tokenize(sentence)
    assert tok.unk_token not in tokens and any(t.endswith("@@") for t in tokens)
    assert tok.convert_tokens_to_string(tokens) == sentence
    ids = tok(sentence)["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2 and tok.unk_token_id not in ids
    assert tok.decode(ids, skip_special_tokens=True).split() == sentence.split()


def test_built_model_loads_and_runs(backbone):
    tok = AutoTokenizer.from_pretrained(backbone)
    model = AutoModel.from_pretrained(backbone)
    assert isinstance(model, RobertaModel)
    cfg = model.config
    assert cfg.vocab_size == len(tok) and cfg.hidden_size == 32 and cfg.num_hidden_layers == 2
    assert (cfg.pad_token_id, cfg.bos_token_id, cfg.eos_token_id, cfg.type_vocab_size) == (1, 0, 2, 1)
    assert cfg.max_position_embeddings == 258 and cfg.tokenizer_class == "PhobertTokenizer"
    batch = tok([CORPUS[0], CORPUS[1]], padding=True, return_tensors="pt")
    with torch.no_grad():
        out = model(**batch).last_hidden_state
    assert out.shape == (2, batch["input_ids"].shape[1], 32)
    assert torch.isfinite(out).all()


def test_build_is_seeded(tmp_path, backbone):
    again = build_tiny_backbone(CORPUS, tmp_path, num_merges=200, hidden_size=32, intermediate_size=64)
    assert (again / "bpe.codes").read_text() == (backbone / "bpe.codes").read_text()
    a, b = AutoModel.from_pretrained(backbone), AutoModel.from_pretrained(again)
    assert torch.equal(a.embeddings.word_embeddings.weight, b.embeddings.word_embeddings.weight)


def test_phobert_base_shape_config_has_about_135m_params():
    cfg = phobert_base_shape_config()
    assert (cfg.num_hidden_layers, cfg.hidden_size, cfg.num_attention_heads, cfg.intermediate_size) == (
        12,
        768,
        12,
        3072,
    )
    assert (cfg.vocab_size, cfg.max_position_embeddings, cfg.type_vocab_size, cfg.pad_token_id) == (
        64001,
        258,
        1,
        1,
    )
    assert cfg.layer_norm_eps == 1e-5
    with torch.device("meta"):  # same module tree, no weight allocation/initialisation
        model = RobertaModel(cfg)
    n = sum(p.numel() for p in model.parameters())
    assert 130e6 < n < 140e6


def test_segmented_corpus_texts_joins_syllables():
    out = segmented_corpus_texts(["Chủ tịch UBND tỉnh Quảng Nam ký quyết định.", "   "])
    assert len(out) == 1 and "Quảng_Nam" in out[0] and "quyết_định" in out[0]


def test_read_corpus_and_cli(tmp_path, capsys):
    gold = tmp_path / "annotated"
    gold.mkdir()
    rows = [
        {"id": "a", "text": "Chủ tịch UBND tỉnh ký quyết định."},
        {"id": "b", "text": "Bí thư phát biểu."},
    ]
    (gold / "gold.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    extra = tmp_path / "more.txt"
    extra.write_text("Phó chủ tịch huyện dự họp.\n\nGiám đốc Sở báo cáo.\n", encoding="utf-8")
    assert read_corpus([gold, extra]) == [r["text"] for r in rows] + [
        "Phó chủ tịch huyện dự họp.",
        "Giám đốc Sở báo cáo.",
    ]
    out = main(
        [
            "--out",
            str(tmp_path / "bb"),
            "--from",
            str(gold),
            "--from",
            str(extra),
            "--merges",
            "50",
            "--hidden-size",
            "16",
            "--intermediate-size",
            "32",
        ]
    )
    printed = capsys.readouterr().out
    assert "4 texts" in printed and "vocab.txt" in printed and "model.safetensors" in printed
    assert AutoModel.from_pretrained(out).config.hidden_size == 16
    assert "Chủ_tịch" in AutoTokenizer.from_pretrained(out).get_vocab()

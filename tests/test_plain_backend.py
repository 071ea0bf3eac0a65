"""The plain-torch inference path (model.checkpoint, model.roberta, model.bpe) against transformers'."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from canbo.model.bpe import PhobertBPE
from canbo.model.pipeline import DEFAULT_MODEL_DIR, load
from canbo.model.roberta import RobertaEncoder

ROOT = Path(__file__).resolve().parent.parent


def _gold() -> list[dict]:
    return [
        json.loads(line) for f in sorted((ROOT / "data" / "annotated").glob("*.jsonl")) for line in f.open()
    ]


def _pages() -> list[str]:
    return [f.read_text(encoding="utf-8") for f in sorted((ROOT / "data" / "raw").glob("*.txt"))]


def test_bpe_merges_by_rank_on_a_hand_made_vocabulary(tmp_path):
    (tmp_path / "vocab.txt").write_text("ab 5\nc 4\nabc 3\nd@@ 2\nxy 1\n", encoding="utf-8")
    # ranks: (a, b) first, then (ab, c</w>); "d" never merges with what follows
    (tmp_path / "bpe.codes").write_text("a b 9\nab c</w> 8\nx y</w> 7\n", encoding="utf-8")
    bpe = PhobertBPE(tmp_path / "vocab.txt", tmp_path / "bpe.codes")
    assert bpe.tokenize("abc") == ["abc"]
    assert bpe.tokenize("dabc") == ["d@@", "abc"]
    assert bpe.tokenize("abd") == ["ab@@", "d"]
    assert bpe.tokenize("xy<mask>q") == ["xy", "<mask>", "q"]  # a special token inside a word stays whole
    assert bpe.tokenize("") == []
    # ids: the four specials, then vocab.txt in order, then <mask>; unknown pieces are <unk>
    assert bpe.convert_tokens_to_ids(["<s>", "ab", "abc", "zz", "<mask>"]) == [0, 4, 6, 3, 9]
    assert (bpe.bos_token_id, bpe.pad_token_id, bpe.eos_token_id, bpe.unk_token_id) == (0, 1, 2, 3)


def test_bpe_matches_transformers_phobert_tokenizer_on_the_corpus_words():
    from transformers import AutoTokenizer

    ours, theirs = PhobertBPE.from_folder(DEFAULT_MODEL_DIR), AutoTokenizer.from_pretrained(DEFAULT_MODEL_DIR)
    words = {w for text in [r["text"] for r in _gold()] + _pages() for w in text.split()}
    pairs = [f"{a}_{b}" for text in _pages() for a, b in zip(text.split(), text.split()[1:])][:3000]
    odd = ["<s>", "a</s>b", "<unk><pad>", "Thuỵ", "Thu\u0323y", "Ðà_Nẵng", "1.528", "17,2%", "x", "qui_hoạch"]
    for w in sorted(words) + pairs + odd:
        assert ours.tokenize(w) == theirs.tokenize(w), w
        toks = ours.tokenize(w)
        assert ours.convert_tokens_to_ids(toks) == theirs.convert_tokens_to_ids(toks), w
    assert ours.pad_token_id == theirs.pad_token_id and ours.unk_token_id == theirs.unk_token_id


def test_plain_encoder_equals_transformers_roberta_with_padding():
    from transformers import RobertaConfig, RobertaModel

    torch.manual_seed(0)
    cfg = RobertaConfig(vocab_size=60, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=48, max_position_embeddings=40, pad_token_id=1)  # fmt: skip
    theirs = RobertaModel(cfg, add_pooling_layer=False).eval()
    ours = RobertaEncoder(cfg.to_dict())
    ours.load_state_dict(theirs.state_dict(), strict=True)
    ids = torch.tensor([[0, 5, 9, 12, 2, 1, 1], [0, 7, 1, 8, 30, 44, 2]])  # padding; a pad id inside a text
    mask = torch.tensor([[1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1]])
    with torch.inference_mode():
        a = ours(input_ids=ids, attention_mask=mask).last_hidden_state
        b = theirs(input_ids=ids, attention_mask=mask).last_hidden_state
    real = mask.bool()
    assert torch.allclose(a[real], b[real], atol=1e-5)


def _records(docs):
    ents = [[(e.start, e.end, e.label, e.text, e.source) for e in d.entities] for d in docs]
    rels = [[(r.head, r.tail, r.label) for r in d.relations] for d in docs]
    scores = [e.score for d in docs for e in d.entities] + [r.score for d in docs for r in d.relations]
    return ents, rels, scores


@pytest.mark.slow
def test_plain_backend_gives_the_transformers_spans_and_scores_on_the_gold_corpus():
    from canbo.model.schema import Document, Entity

    plain, hf = load(backend="torch"), load(backend="transformers")
    assert (plain.backend, hf.backend) == ("torch", "transformers")
    gold = _gold()
    texts = [r["text"] for r in gold]
    for run in (lambda p: p.predict_batch(texts, split=False), lambda p: p.predict_batch(_pages())):
        a, b = _records(run(plain)), _records(run(hf))
        assert a[0] == b[0] and a[1] == b[1]
        assert sum(map(len, a[0])) > 100
        assert a[2] == pytest.approx(b[2], abs=1e-5)
    docs = [Document(text=r["text"], entities=[Entity(e["start"], e["end"], e["label"], e["text"])
                                               for e in r["entities"]]) for r in gold if r["relations"]]  # fmt: skip
    a, b = _records(plain.link_entities(docs)), _records(hf.link_entities(docs))
    assert a[1] == b[1] and sum(map(len, a[1])) > 10
    assert a[2] == pytest.approx(b[2], abs=1e-5)


def test_backend_choice_is_checked():
    with pytest.raises(ValueError, match="unknown backend 'onnx'"):
        load(backend="onnx")


def test_predict_and_help_do_not_import_transformers_models():
    """A cold ``predict`` imports neither transformers' model classes nor underthesea's translator;
    ``canbo --help`` imports neither torch nor transformers."""
    probe = (
        "import sys\n"
        "from canbo.model.pipeline import load\n"
        "doc = load().predict('Chủ tịch UBND huyện Kiến Thụy Nguyễn Văn A phát biểu.')\n"
        "heavy = ('transformers', 'underthesea.pipeline.translate', 'torch._dynamo')\n"
        "print(len(doc.entities), sorted({m.split('.')[0] for m in sys.modules if m.startswith(heavy)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) >= 2 and out[1:] == ["[]"]
    helper = (
        "import sys\nfrom canbo.model.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('torch', 'transformers'))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", helper], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]")


@pytest.mark.slow
def test_underthesea_imported_later_is_the_real_package():
    """After canbo's segmenter loaded underthesea's modules, ``import underthesea`` still gives the
    whole toolkit, sharing the same word_tokenize."""
    probe = (
        "from canbo.model.text import underthesea_segmenter\n"
        "seg = underthesea_segmenter()\n"
        "words = seg('Chủ tịch UBND huyện Kiến Thụy')\n"
        "import underthesea\n"
        "print(words == underthesea.word_tokenize('Chủ tịch UBND huyện Kiến Thụy'), seg is underthesea.word_tokenize,"
        " callable(underthesea.ner), words)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.startswith("True True True ['Chủ tịch', 'UBND', 'huyện', 'Kiến Thụy']")
